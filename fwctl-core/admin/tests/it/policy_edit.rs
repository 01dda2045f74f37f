//! Safe editing: locks, conflict detection, atomic install with a backup,
//! comment-preserving programmatic edits, and path resolution.
#![expect(clippy::unwrap_used, reason = "test code: a failed unwrap is a failed test")]

use crate::common;

use std::cell::Cell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::scratch;
use fwctl_admin::policy::edit::{
    self, EditError, EditOutcome, EditSession, Editor, EditorError, InstallOptions, InvalidChoice,
    NonInteractive, Prompt, RuleEdit, SetOp,
};
use fwctl_admin::policy::paths::{PathFlags, Paths};
use fwctl_admin::policy::{self, PolicyError};

const START: &str = "# site policy\nversion = 1 # schema\n\n# admins\n[[rule]]\nname = \"root\"\nusers = [\"root\"]\nmax_scope = \"debug-read-only\"\n";

fn setup(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let path = dir.join("policy.toml");
    std::fs::write(&path, START).unwrap();
    (dir, path)
}

fn allow(name: &str, user: &str) -> SetOp {
    SetOp::Allow(RuleEdit {
        name: name.into(),
        users: vec![user.into()],
        max_scope: Some("configuration".into()),
        ..Default::default()
    })
}

#[test]
fn allow_appends_a_rule_keeping_comments_and_formatting() {
    let (dir, path) = setup("allow");
    let done = edit::apply(&path, &allow("alice", "1000"), &InstallOptions::default()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(START), "original text, comments included, is untouched:\n{text}");
    assert!(
        text.ends_with("[[rule]]\nname = \"alice\"\nusers = [1000]\nmax_scope = \"configuration\"\n"),
        "{text}"
    );
    assert_eq!(done.policy.policy.rule_names().collect::<Vec<_>>(), vec!["root", "alice"]);
    assert!(done.diff.contains("+ name = \"alice\""), "{}", done.diff);
    assert_eq!(std::fs::read_to_string(done.backup.unwrap()).unwrap(), START);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn deny_is_inserted_before_every_rule() {
    let (dir, path) = setup("deny");
    let op = SetOp::Deny(RuleEdit {
        name: "no-paos".into(),
        users: vec!["*".into()],
        deny_register_writes: vec!["PAOS".into()],
        ..Default::default()
    });
    let done = edit::apply(&path, &op, &InstallOptions::default()).unwrap();
    assert_eq!(done.policy.policy.rule_names().collect::<Vec<_>>(), vec!["no-paos", "root"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# admins\n[[rule]]\nname = \"root\""), "the root rule keeps its comment:\n{text}");
    assert!(text.contains("action = \"deny\""));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn set_unset_and_remove() {
    let (dir, path) = setup("set");
    let o = InstallOptions::default();
    edit::apply(&path, &SetOp::Set { key: "audit".into(), value: "denials".into() }, &o).unwrap();
    edit::apply(&path, &SetOp::Set { key: "lockdown".into(), value: "true".into() }, &o).unwrap();
    let done = edit::apply(
        &path,
        &SetOp::Set { key: "rule.root.max_scope".into(), value: "\"configuration\"".into() },
        &o,
    )
    .unwrap();
    assert!(done.policy.policy.lockdown());
    assert_eq!(done.policy.policy.audit_level(), fwctl_admin::audit::AuditLevel::Denials);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("version = 1 # schema\n"), "inline comments survive:\n{text}");
    assert!(text.contains("max_scope = \"configuration\""));
    edit::apply(&path, &SetOp::Unset { key: "lockdown".into() }, &o).unwrap();
    assert!(!policy::load(&path).unwrap().policy.lockdown());
    edit::apply(&path, &allow("x", "5"), &o).unwrap();
    edit::apply(&path, &SetOp::RemoveRule { name: "x".into() }, &o).unwrap();
    assert_eq!(policy::load(&path).unwrap().policy.rule_count(), 1);
    let e = edit::apply(&path, &SetOp::RemoveRule { name: "x".into() }, &o).unwrap_err();
    assert_eq!(e.to_string(), "no rule named 'x'");
    let e = edit::apply(&path, &allow("root", "5"), &o).unwrap_err();
    assert!(e.to_string().starts_with("rule 'root' already exists"), "{e}");
    let e = edit::apply(&path, &SetOp::Set { key: "bogus".into(), value: "1".into() }, &o).unwrap_err();
    assert!(e.to_string().starts_with("cannot address 'bogus'"), "{e}");
    // The causes are typed.
    assert!(matches!(e, EditError::Op(edit::OpError::BadKey(k)) if k == "bogus"));
    let e = edit::apply(&path, &SetOp::Unset { key: "lockdown".into() }, &o).unwrap_err();
    assert!(matches!(e, EditError::Op(edit::OpError::NotSet(ref k)) if k == "lockdown"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_invalid_programmatic_edit_is_not_installed() {
    let (dir, path) = setup("invalid");
    let e = edit::apply(
        &path,
        &SetOp::Set { key: "audit".into(), value: "loud".into() },
        &InstallOptions::default(),
    )
    .unwrap_err();
    let EditError::Invalid(PolicyError::Invalid(d)) = &e else { panic!("{e:?}") };
    assert_eq!(d[0].message, "unknown audit level 'loud'");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), START);
    assert!(!Paths::backup_of(&path).exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn concurrent_programmatic_edits_are_all_kept() {
    let (dir, path) = setup("concurrent");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                edit::apply(
                    &path,
                    &allow(&format!("t{i}"), &format!("{}", 2000 + i)),
                    &InstallOptions::default(),
                )
                .unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let p = policy::load(&path).unwrap().policy;
    let mut names: Vec<&str> = p.rule_names().collect();
    names.sort();
    assert_eq!(names, vec!["root", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    std::fs::remove_dir_all(dir).unwrap();
}

/// An editor that applies a function to the file's text.
struct FnEditor<F: FnMut(&str) -> String>(F);

impl<F: FnMut(&str) -> String> Editor for FnEditor<F> {
    fn edit(&mut self, file: &Path) -> Result<(), EditorError> {
        let text = std::fs::read_to_string(file).map_err(EditorError::Io)?;
        std::fs::write(file, (self.0)(&text)).map_err(EditorError::Io)
    }
}

#[test]
fn a_second_editor_is_refused_while_the_first_holds_the_lock() {
    let (dir, path) = setup("busy");
    let first = EditSession::begin(&path).unwrap();
    let e = EditSession::begin(&path).unwrap_err();
    assert!(matches!(e, EditError::Busy { .. }), "{e:?}");
    assert!(e.to_string().contains("is being edited by another session"));
    drop(first);
    assert!(EditSession::begin(&path).is_ok(), "the lock is released with the session");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn edit_session_validates_diffs_installs_and_reloads() {
    let (dir, path) = setup("session");
    let reloaded = Cell::new(0usize);
    let after = |p: &policy::LoadedPolicy| {
        reloaded.set(p.policy.rule_count());
        Ok(())
    };
    let opts = InstallOptions { after_install: Some(&after), ..Default::default() };
    let s = EditSession::begin(&path).unwrap();
    let work = s.work_file().to_path_buf();
    let mut ed = FnEditor(|t: &str| t.replace("debug-read-only", "debug-write"));
    let EditOutcome::Installed(done) = s.run(&mut ed, &mut NonInteractive, &opts).unwrap() else { panic!() };
    assert!(matches!(done.reload, Some(Ok(()))), "{:?}", done.reload);
    assert_eq!(reloaded.get(), 1);
    assert!(
        done.diff.contains("- max_scope = \"debug-read-only\"\n+ max_scope = \"debug-write\"\n"),
        "{}",
        done.diff
    );
    assert_eq!(std::fs::read_to_string(Paths::backup_of(&path)).unwrap(), START);
    assert!(!work.exists(), "the working copy is removed");
    // No change: nothing installed.
    let s = EditSession::begin(&path).unwrap();
    assert!(matches!(
        s.run(&mut FnEditor(|t: &str| t.to_string()), &mut NonInteractive, &opts).unwrap(),
        EditOutcome::Unchanged
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

struct Scripted {
    choices: Vec<InvalidChoice>,
    asked: usize,
}

impl Prompt for Scripted {
    fn invalid(&mut self, _e: &PolicyError) -> InvalidChoice {
        self.asked += 1;
        self.choices.remove(0)
    }
    fn show_diff(&mut self, _d: &str) {}
}

#[test]
fn invalid_edits_are_refused_non_interactively_and_can_be_re_edited() {
    let (dir, path) = setup("reedit");
    let s = EditSession::begin(&path).unwrap();
    let e = s.run(
        &mut FnEditor(|t: &str| format!("{t}bogus = 1\n")),
        &mut NonInteractive,
        &InstallOptions::default(),
    );
    assert!(matches!(e, Err(EditError::Discarded(_))), "{e:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), START);

    let mut round = 0;
    let mut ed = FnEditor(move |t: &str| {
        round += 1;
        if round == 1 {
            t.replace("# schema\n", "# schema\nbogus = 1\n")
        } else {
            t.replace("bogus = 1\n", "lockdown = true\n")
        }
    });
    let mut prompt = Scripted { choices: vec![InvalidChoice::ReEdit], asked: 0 };
    let s = EditSession::begin(&path).unwrap();
    assert!(matches!(
        s.run(&mut ed, &mut prompt, &InstallOptions::default()).unwrap(),
        EditOutcome::Installed(_)
    ));
    assert_eq!(prompt.asked, 1);
    assert!(policy::load(&path).unwrap().policy.lockdown());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_changed_behind_the_editors_back_is_never_overwritten() {
    let (dir, path) = setup("conflict");
    let s = EditSession::begin(&path).unwrap();
    let p2 = path.clone();
    let mut ed = FnEditor(move |t: &str| {
        // Someone writes the file without taking the lock while we edit.
        std::fs::write(&p2, format!("{START}lockdown = false\n")).unwrap();
        t.replace("debug-read-only", "configuration")
    });
    let e = s.run(&mut ed, &mut NonInteractive, &InstallOptions::default()).unwrap_err();
    let EditError::Conflict { kept: Some(kept), .. } = &e else { panic!("{e:?}") };
    assert!(
        std::fs::read_to_string(kept).unwrap().contains("max_scope = \"configuration\""),
        "our edit is kept"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{START}lockdown = false\n"),
        "theirs is intact"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_crash_between_write_and_rename_leaves_the_old_file_intact() {
    let (dir, path) = setup("crash");
    let crash = |tmp: &Path| {
        assert!(tmp.exists(), "the new file is written before the rename");
        Err(std::io::Error::other("simulated crash"))
    };
    let opts = InstallOptions { before_rename: Some(&crash), ..Default::default() };
    let e = edit::apply(&path, &allow("alice", "1000"), &opts).unwrap_err();
    assert!(e.to_string().ends_with("simulated crash"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), START);
    let mut leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        vec![OsString::from("policy.toml"), OsString::from("policy.toml.lock")],
        "no temporary file, no backup"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_first_edit_starts_from_the_built_in_default() {
    let dir = scratch("first");
    let path = dir.join("sub/policy.toml");
    let done = edit::apply(&path, &allow("alice", "1000"), &InstallOptions::default()).unwrap();
    assert!(done.backup.is_none());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(policy::shipped::DEFAULT), "{text}");
    assert_eq!(done.policy.policy.rule_names().collect::<Vec<_>>(), vec!["root-read-only", "alice"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn paths_for_root_users_flags_and_environment() {
    let none = |_: &str| None;
    let p = Paths::resolve_with(&PathFlags::default(), true, none);
    assert_eq!(p.policy, PathBuf::from("/etc/fwctl/policy.toml"));
    assert_eq!(p.state_dir, PathBuf::from("/var/lib/fwctl"));
    assert_eq!(p.audit_log, PathBuf::from("/var/lib/fwctl/audit.log"));
    let home = |k: &str| (k == "HOME").then(|| OsString::from("/home/a"));
    let p = Paths::resolve_with(&PathFlags::default(), false, home);
    assert_eq!(p.policy, PathBuf::from("/home/a/.config/fwctl/policy.toml"));
    assert_eq!(p.state_dir, PathBuf::from("/home/a/.local/state/fwctl"));
    let xdg = |k: &str| match k {
        "XDG_CONFIG_HOME" => Some(OsString::from("/x/c")),
        "XDG_STATE_HOME" => Some(OsString::from("/x/s")),
        "FWCTL_AUDIT_LOG" => Some(OsString::from("/x/audit.jsonl")),
        _ => None,
    };
    let p = Paths::resolve_with(&PathFlags::default(), false, xdg);
    assert_eq!(
        (p.policy.to_str(), p.state_dir.to_str(), p.audit_log.to_str()),
        (Some("/x/c/fwctl/policy.toml"), Some("/x/s/fwctl"), Some("/x/audit.jsonl"))
    );
    let env = |k: &str| match k {
        "FWCTL_POLICY" => Some(OsString::from("/env/p.toml")),
        "FWCTL_STATE_DIR" => Some(OsString::from("/env/state")),
        _ => None,
    };
    let p = Paths::resolve_with(&PathFlags::default(), true, env);
    assert_eq!((p.policy.to_str(), p.state_dir.to_str()), (Some("/env/p.toml"), Some("/env/state")));
    let flags = PathFlags { policy: Some("/flag/p.toml".into()), state_dir: None, audit_log: None };
    assert_eq!(
        Paths::resolve_with(&flags, true, env).policy,
        PathBuf::from("/flag/p.toml"),
        "a flag beats the environment"
    );
    assert_eq!(Paths::lock_of(Path::new("/e/policy.toml")), PathBuf::from("/e/policy.toml.lock"));
}
