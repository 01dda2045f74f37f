//! The simulated mlx5 device behind the real daemon: the same bytes as in
//! process, firmware-level effects of the connection lifecycle (a killed client's
//! firmware uid is destroyed).

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use fwctl_core::server::ControlRequest;
use fwctl_core::transport::{Daemon, Embedded, Transport};
use fwctl_core::{Credentials, Errno, Subsystem};
use fwctl_mlx5_sim::{Mlx5Device, SimConfig, prm};
use fwctl_tests::daemon::{Fwctld, binary, wait_until};

#[test]
fn query_adapter_through_the_daemon_is_byte_identical_to_in_process() {
    let d =
        Fwctld::start("[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nseed = 5\n", &[]);
    let s = Subsystem::new();
    s.register(Mlx5Device::new(SimConfig::with_seed(5)).unwrap().into_driver()).unwrap();
    let emb = Embedded::with_credentials(s, Credentials::current());
    let mut a = Daemon::new(&d.runtime_dir).open("fwctl0").unwrap();
    let mut b = emb.open("fwctl0").unwrap();
    let (mut ia, mut ib) = ([0u8; 8], [0u8; 8]);
    assert_eq!(a.info(&mut ia), b.info(&mut ib));
    assert_eq!(ia, ib, "same uid and caps");
    let req = prm::build::query_adapter();
    let (mut oa, mut ob) = ([0u8; 272], [0u8; 272]);
    assert_eq!(a.rpc(0, &req, &mut oa).unwrap().out_len, 272);
    assert_eq!(b.rpc(0, &req, &mut ob).unwrap().out_len, 272);
    assert_eq!(oa, ob);
    assert_eq!(a.decode_status(&oa).map(|s| s.ok), Some(true));
    // Short buffers: EMSGSIZE from the mlx5 driver, through the daemon too.
    assert_eq!(a.rpc(0, &req[..8], &mut oa).err(), Some(Errno::EMSGSIZE));
    assert_eq!(a.describe(&req).unwrap().name.as_deref(), Some("QUERY_ADAPTER"));
    let list = Daemon::new(&d.runtime_dir).list().unwrap();
    assert_eq!(
        (list[0].view.identity.driver.as_str(), list[0].view.device_type.name()),
        ("mlx5_fwctl", "mlx5")
    );
}

#[test]
fn a_killed_clients_firmware_uid_is_destroyed() {
    // One user context at most: a leaked uid would make every later open fail.
    let config = "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nmax_uctx = 1\n";
    let d = Fwctld::start(config, &[]);
    let daemon = Daemon::new(&d.runtime_dir);
    let mut child = std::process::Command::new(binary("fwctl-probe"))
        .arg(&d.runtime_dir)
        .args(["fwctl0", "park"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "open");
    assert!(daemon.open("fwctl0").is_err(), "the firmware has no second uid");
    child.kill().unwrap();
    child.wait().unwrap();
    let reopened = wait_until(Duration::from_secs(30), || daemon.open("fwctl0").is_ok());
    assert!(reopened, "the killed client's uid was destroyed (DESTROY_UCTX on close)");
    let handles = || d.control(&ControlRequest::List).unwrap()[0]["open_handles"].clone();
    assert!(wait_until(Duration::from_secs(30), || handles() == 0), "and no handle is left open");
}

/// `reg read PAOS --json` through `d`: the port's admin_status.
fn paos_admin_status(d: &Fwctld) -> u64 {
    let o = d.fwctl().args(["mlx5", "fwctl0", "reg", "read", "PAOS", "--json"]).output().expect("run fwctl");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    v["fields"]["register_data.admin_status"].as_u64().unwrap_or_else(|| panic!("{v}"))
}

#[test]
fn a_state_file_keeps_the_devices_state_across_daemon_restarts() {
    let dir = fwctl_tests::daemon::TempDir::new("fwctld-sim-state");
    let file = dir.path().join("sim-state").join("sim0.json");
    let config = format!(
        "[[device]]\nname = \"sim0\"\ndriver = \"mlx5-sim\"\n[device.params]\nstate_file = \"{}\"\n",
        file.display()
    );
    let d = Fwctld::start_in(dir, &config, &[]);
    assert_eq!(paos_admin_status(&d), 1, "power-on: port up");
    let o = d.fwctl().args(["mlx5", "fwctl0", "reg", "write", "PAOS", "admin_status=2"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // The daemon keeps it for its lifetime (other connections see it) ...
    assert_eq!(paos_admin_status(&d), 2);
    assert!(!file.exists(), "saved at power-off, not per request");
    // ... and saves it on a clean shutdown.
    let (status, dir) = d.stop();
    assert!(status.success(), "{status:?}");
    assert!(file.exists(), "state file written at shutdown");
    let d = Fwctld::start_in(dir, &config, &[]);
    assert_eq!(paos_admin_status(&d), 2, "restored after the restart");

    // A corrupt file: the daemon starts anyway, logs why, and leaves it alone.
    let (_, dir) = d.stop();
    std::fs::write(&file, b"garbage").unwrap();
    let d = Fwctld::start_in(dir, &config, &[]);
    assert_eq!(paos_admin_status(&d), 1);
    assert!(d.log().contains("ignoring the simulated device's saved state"), "{}", d.log());
    let (_, dir) = d.stop();
    assert_eq!(std::fs::read(&file).unwrap(), b"garbage");
    drop(dir);
}
