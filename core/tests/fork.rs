//! A store never crosses `fork()`: in the child every call through an inherited handle is
//! `store_closed` (open the store again there), and the id generator reseeds itself, so that no id
//! the child makes repeats one of the parent's. One test in its own binary: forking a process with
//! busy threads is not safe.

use pivotal_core::{ErrorCode, IdGenerator, IdKind, Pivotal};

/// Forks; the child runs `child` and sends back what it returns; the parent gets that text.
fn in_child(child: impl FnOnce() -> String) -> String {
    let mut fds = [0; 2];
    // SAFETY: plain POSIX calls; the child only computes, writes to the pipe and `_exit`s.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        match libc::fork() {
            -1 => panic!("fork failed"),
            0 => {
                let out = child();
                libc::write(fds[1], out.as_ptr().cast(), out.len());
                libc::_exit(0);
            }
            pid => {
                libc::close(fds[1]);
                let mut text = Vec::new();
                let mut buf = [0u8; 256];
                loop {
                    let n = libc::read(fds[0], buf.as_mut_ptr().cast(), buf.len());
                    if n <= 0 {
                        break;
                    }
                    text.extend_from_slice(&buf[..n as usize]);
                }
                libc::close(fds[0]);
                let mut status = 0;
                libc::waitpid(pid, &mut status, 0);
                String::from_utf8(text).unwrap()
            }
        }
    }
}

#[test]
fn a_forked_child_reseeds_ids_and_refuses_the_inherited_store() {
    let ids = IdGenerator::seeded(7);
    ids.next(IdKind::Customer);
    let dir = tempfile::tempdir().unwrap();
    let db = Pivotal::options()
        .id_seed(7)
        .open(dir.path().join("fork.db"))
        .unwrap();
    let said = in_child(|| {
        let e = db.customers().list(&Default::default()).unwrap_err();
        format!(
            "{} {} {}",
            ids.next(IdKind::Customer),
            e.code,
            e.message.contains("fork()") && e.message.contains("open it again"),
        )
    });
    let parent_next = ids.next(IdKind::Customer);
    let [child_id, code, clear] = said.split(' ').collect::<Vec<_>>()[..] else {
        panic!("the child said {said:?}");
    };
    assert_ne!(
        child_id, parent_next,
        "the child repeated the parent's next id"
    );
    assert_eq!(code, ErrorCode::StoreClosed.as_str());
    assert_eq!(clear, "true");
    // The parent's handle is untouched.
    assert!(!db.is_closed());
    assert!(db.customers().list(&Default::default()).is_ok());
}
