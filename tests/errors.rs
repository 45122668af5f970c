//! Errors as a caller of the library sees them (kinds to match, causes kept) and as a shell
//! sees them (exit codes; a closed stdout ends a command quietly).

mod common;

use std::error::Error as _;
use std::process::{Command, Stdio};

use common::*;
use jixiao::error::JxError;

#[test]
fn kinds_can_be_matched_and_keep_their_cause() {
    let missing = tmpdir("errors-kinds").join("no-such-folder");
    let Err(e) = jixiao::dataset::load(&missing) else {
        panic!("a missing folder loaded")
    };
    assert!(matches!(e, JxError::Input { .. }), "{e:?}");
    assert!(e.to_string().contains("no-such-folder"), "{e}");

    // An output that cannot be written: a file stands where the folder should be.
    let d = tmpdir("errors-output");
    write(&d, "taken", "");
    let e = jixiao::dataset::write::ensure_dir(&d.join("taken").join("out")).unwrap_err();
    assert!(matches!(e, JxError::Output { .. }), "{e:?}");
    let cause = e.source().expect("the io error is kept");
    assert!(
        cause.downcast_ref::<std::io::Error>().is_some(),
        "{cause:?}"
    );
}

/// `jixiao sql | head -1` and the like: the reader closes the pipe before jixiao writes.
#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [&["sql"][..], &["completions", "bash"]] {
        let mut child = Command::new(bin())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}
