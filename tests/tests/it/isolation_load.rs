//! Issue 11 / review P4, D5: loading a plugin is race-free. The file is opened
//! once (`O_NOFOLLOW | O_NONBLOCK`), checked on its descriptor and loaded from
//! it (`/proc/self/fd/N`); a FIFO, a device, a truncated or non-ELF file and a
//! file others can write are each refused with a named error, before anything
//! is mapped: no hang, no SIGBUS.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use fwctl_core::plugin::{LoadOptions, PluginError};
use fwctl_tests::plugins::{self, TempDir, Warnings, set_mode};

/// Load on another thread, so a loader that blocks (a FIFO) fails the test
/// instead of hanging it.
fn load_within(path: &Path, limit: Duration) -> Result<(), PluginError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(plugins::load(&p, &LoadOptions::default()).map(|_| ()));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("loading {} did not return within {limit:?}", path.display()))
}

fn refused(path: &Path) -> PluginError {
    match load_within(path, Duration::from_secs(10)) {
        Ok(()) => panic!("{} was loaded", path.display()),
        Err(e) => e,
    }
}

#[test]
fn fifos_devices_truncated_non_elf_and_writable_files_each_get_a_named_error() {
    let dir = TempDir::new("iso-load");
    let good = plugins::fixture(dir.path(), "good", "");

    // A FIFO: opened without blocking, refused by type (P4: it hung fwctld).
    let fifo = dir.path().join("libfifo.so");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let e = refused(&fifo);
    assert_eq!(e.kind(), "not-regular-file", "{e}");
    assert!(e.to_string().contains("a FIFO"), "{e}");

    // A character device.
    let e = refused(Path::new("/dev/null"));
    assert_eq!(e.kind(), "not-regular-file", "{e}");
    assert!(e.to_string().contains("a character device"), "{e}");

    // A directory.
    let sub = dir.path().join("libdir.so");
    std::fs::create_dir(&sub).unwrap();
    assert_eq!(refused(&sub).kind(), "not-regular-file");

    // A truncated copy of a good plugin (D5: it killed fwctld with SIGBUS): this
    // test process survives, and the error says what lies past the end.
    let bytes = std::fs::read(&good).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 1, 100] {
        let t = dir.path().join(format!("libtrunc{keep}.so"));
        std::fs::write(&t, &bytes[..keep]).unwrap();
        set_mode(&t, 0o755);
        let e = refused(&t);
        assert_eq!(e.kind(), "truncated", "{keep} bytes: {e}");
        assert!(e.to_string().contains("beyond the file") || e.to_string().contains("shorter"), "{e}");
    }

    // Not ELF at all.
    let text = dir.path().join("libtext.so");
    std::fs::write(&text, "#!/bin/sh\necho not a library\n").unwrap();
    set_mode(&text, 0o755);
    let e = refused(&text);
    assert_eq!(e.kind(), "not-shared-object", "{e}");

    // Writable by others: refused on the descriptor's mode.
    let ww = dir.path().join("libww.so");
    std::fs::copy(&good, &ww).unwrap();
    set_mode(&ww, 0o757);
    let e = refused(&ww);
    assert_eq!(e.kind(), "insecure-permissions", "{e}");

    // And the good one loads.
    load_within(&good, Duration::from_secs(10)).unwrap();
}

/// The attack of review P4: while the daemon loads `lib.so`, another process
/// keeps renaming a library it may not load (mode 0666) over that name. The
/// loader must only ever run the file it checked: the evil library's
/// constructor (which creates a marker file) never runs.
#[test]
fn a_library_renamed_over_the_path_during_loads_never_runs() {
    let dir = TempDir::new("iso-race");
    let good = plugins::fixture(dir.path(), "good", "");
    let marker = dir.path().join("EVIL-RAN");
    let evil_src = dir.path().join("evil.c");
    std::fs::write(
        &evil_src,
        format!(
            "#include <fcntl.h>\n#include <unistd.h>\n\
             __attribute__((constructor)) static void evil(void) {{ int fd = open(\"{}\", O_CREAT | O_WRONLY, 0644); if (fd >= 0) close(fd); }}\n",
            marker.display()
        ),
    )
    .unwrap();
    let evil = plugins::compile_c(
        dir.path(),
        "evil",
        &[plugins::fixture_source(), evil_src],
        &[],
        Warnings::Lenient,
    )
    .unwrap();
    set_mode(&evil, 0o666);

    // Each round uses a new name and a new copy of the good library (a new
    // inode), so every round is a first load: nothing is served from a cache.
    let round: Arc<std::sync::Mutex<Option<(PathBuf, PathBuf)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let racer = {
        let (stop, round, dir, evil) = (stop.clone(), round.clone(), dir.path().to_path_buf(), evil.clone());
        std::thread::spawn(move || {
            let tmp = dir.join("libswap.tmp");
            let mut swaps = 0u64;
            while !stop.load(Ordering::SeqCst) {
                let Some((target, good)) = round.lock().unwrap().clone() else { continue };
                for src in [&evil, &good] {
                    let _ = std::fs::remove_file(&tmp);
                    if std::fs::hard_link(src, &tmp).is_ok() && std::fs::rename(&tmp, &target).is_ok() {
                        swaps += 1;
                    }
                }
            }
            swaps
        })
    };
    let (mut loaded, mut refused_insecure) = (0, 0);
    for i in 0..100 {
        let target = dir.path().join(format!("libvictim{i}.so"));
        let copy = dir.path().join(format!("good{i}.so"));
        std::fs::copy(&good, &copy).unwrap();
        set_mode(&copy, 0o755);
        std::fs::hard_link(&copy, &target).unwrap();
        *round.lock().unwrap() = Some((target.clone(), copy));
        match plugins::load(&target, &LoadOptions::default()) {
            Ok(lib) => {
                assert_eq!(lib.name(), "fixture");
                loaded += 1;
            }
            Err(PluginError::InsecurePermissions { .. }) => refused_insecure += 1,
            Err(e) => panic!("round {i}: {e}"),
        }
    }
    stop.store(true, Ordering::SeqCst);
    let swaps = racer.join().unwrap();
    assert!(swaps > 0 && loaded > 0, "swaps {swaps}, loaded {loaded}, refused {refused_insecure}");
    assert!(!marker.exists(), "the library renamed over the checked one ran its constructor");
}
