//! [`ProcessMemory`]: the caller's own address space as the dispatcher's
//! [`UserMemory`], through `process_vm_readv(2)`/`process_vm_writev(2)`.
//!
//! This is what `copy_from_user`/`copy_to_user` are for the kernel's fwctl:
//! an address that is not mapped (or, for a write, not writable) in the caller
//! is `EFAULT`. A write that runs from mapped into unmapped memory leaves the
//! bytes before the fault written, as `copy_to_user` does (it reports how many
//! bytes it could not copy; fwctl turns any shortfall into `EFAULT`); a read that
//! faults part way is `EFAULT` with the bytes read so far discarded, as
//! `copy_from_user` into a kernel buffer is. `process_vm_writev` does not force
//! its way into read-only pages (no `FOLL_FORCE`), so a read-only `out` buffer
//! is `EFAULT`, as it is for `copy_to_user`.

use std::io::{IoSlice, IoSliceMut};

use fwctl_subsys::memory::UserMemory;
use fwctl_uapi::errno::Errno;
use nix::sys::uio::{RemoteIoVec, process_vm_readv, process_vm_writev};
use nix::unistd::Pid;

/// The memory of process (or thread) `pid`, read and written in place.
///
/// The caller must keep `pid` from being recycled while this is used: the FUSE
/// server does, because the calling thread is blocked in its `ioctl` until the
/// reply is written.
#[derive(Debug, Clone, Copy)]
pub struct ProcessMemory {
    pid: Pid,
}

/// The largest piece handed to one system call (the kernel caps an iovec at
/// `MAX_RW_COUNT`; our payloads are at most 2 MiB, so this is never reached in
/// practice but keeps the arithmetic honest).
const MAX_PIECE: usize = 1 << 30;

impl ProcessMemory {
    /// The memory of `pid`.
    pub fn new(pid: i32) -> Self {
        ProcessMemory { pid: Pid::from_raw(pid) }
    }

    /// The pid this memory belongs to.
    pub fn pid(&self) -> i32 {
        self.pid.as_raw()
    }
}

/// `[addr, addr + len)` must not wrap and must fit a `usize` address, as
/// `access_ok` demands.
fn range_ok(addr: u64, len: usize) -> Result<usize, Errno> {
    let start = usize::try_from(addr).map_err(|_| Errno::EFAULT)?;
    start.checked_add(len).ok_or(Errno::EFAULT)?;
    Ok(start)
}

impl UserMemory for ProcessMemory {
    fn read(&self, addr: u64, dst: &mut [u8]) -> Result<(), Errno> {
        if dst.is_empty() {
            return Ok(());
        }
        let start = range_ok(addr, dst.len())?;
        let mut done = 0;
        while done < dst.len() {
            let n = (dst.len() - done).min(MAX_PIECE);
            let remote = [RemoteIoVec { base: start + done, len: n }];
            let mut local = [IoSliceMut::new(&mut dst[done..done + n])];
            match process_vm_readv(self.pid, &mut local, &remote) {
                Ok(got) if got == n => done += n,
                // A short read stopped at an unmapped page: copy_from_user fails.
                Ok(_) | Err(_) => return Err(Errno::EFAULT),
            }
        }
        Ok(())
    }

    fn write(&mut self, addr: u64, src: &[u8]) -> Result<(), Errno> {
        if src.is_empty() {
            return Ok(());
        }
        let start = range_ok(addr, src.len())?;
        let mut done = 0;
        while done < src.len() {
            let n = (src.len() - done).min(MAX_PIECE);
            let remote = [RemoteIoVec { base: start + done, len: n }];
            let local = [IoSlice::new(&src[done..done + n])];
            match process_vm_writev(self.pid, &local, &remote) {
                Ok(got) if got == n => done += n,
                // The bytes before the fault stay written, as with copy_to_user.
                Ok(_) | Err(_) => return Err(Errno::EFAULT),
            }
        }
        Ok(())
    }

    fn zero(&mut self, addr: u64, len: usize) -> Result<(), Errno> {
        const CHUNK: usize = 64 * 1024;
        if len == 0 {
            return Ok(());
        }
        range_ok(addr, len)?;
        let zeros = vec![0u8; len.min(CHUNK)];
        let mut off = 0usize;
        while off < len {
            let n = (len - off).min(CHUNK);
            self.write(addr + off as u64, &zeros[..n])?;
            off += n;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> ProcessMemory {
        ProcessMemory::new(std::process::id() as i32)
    }

    #[test]
    fn reads_and_writes_this_process() {
        let src = *b"hello, fwctl";
        let mut dst = [0u8; 12];
        me().read(src.as_ptr() as u64, &mut dst).unwrap();
        assert_eq!(dst, src);
        let mut target = [0u8; 5];
        me().write(target.as_mut_ptr() as u64, b"abcde").unwrap();
        assert_eq!(&target, b"abcde");
        me().zero(target.as_mut_ptr() as u64, 3).unwrap();
        assert_eq!(&target, b"\0\0\0de");
    }

    #[test]
    fn null_and_wrapping_ranges_fault_but_empty_ones_do_not() {
        let mut b = [0u8; 4];
        assert_eq!(me().read(0, &mut b), Err(Errno::EFAULT));
        assert_eq!(me().read(u64::MAX - 1, &mut b), Err(Errno::EFAULT));
        assert_eq!(me().write(8, b"x"), Err(Errno::EFAULT));
        assert_eq!(me().read(0, &mut []), Ok(()));
        assert_eq!(me().write(0, &[]), Ok(()));
        assert_eq!(me().zero(0, 0), Ok(()));
    }

    #[test]
    fn read_only_memory_cannot_be_written() {
        static RO: [u8; 16] = [7; 16];
        assert_eq!(me().write(RO.as_ptr() as u64, b"no"), Err(Errno::EFAULT));
        assert_eq!(RO, [7; 16]);
    }
}
