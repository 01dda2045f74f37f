//! The closed set of errnos the subsystem and its drivers return, with Linux's
//! numeric values (asm-generic/errno-base.h and errno.h).

use core::fmt;

macro_rules! errnos {
    ($( $(#[$m:meta])* $name:ident = $num:expr, $text:expr; )*) => {
        /// An errno returned at the ABI edge. The set is closed: drivers and the core
        /// can return nothing else, so every path maps to a documented value.
        #[repr(i32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Errno {
            $( $(#[$m])* $name = $num, )*
        }

        impl Errno {
            /// Every errno in the set.
            pub const ALL: &'static [Errno] = &[$(Errno::$name,)*];

            /// The positive Linux errno number.
            pub const fn code(self) -> i32 {
                self as i32
            }

            /// The symbolic name, e.g. `"EMSGSIZE"`.
            pub const fn name(self) -> &'static str {
                match self { $(Errno::$name => stringify!($name),)* }
            }

            /// The C library's description, e.g. `"Message too long"`.
            pub const fn description(self) -> &'static str {
                match self { $(Errno::$name => $text,)* }
            }

            /// Decode a positive errno number; `None` if it is outside the closed set.
            pub const fn from_code(code: i32) -> Option<Errno> {
                match code { $($num => Some(Errno::$name),)* _ => None }
            }

            /// Look an errno up by its symbolic name.
            pub fn from_name(name: &str) -> Option<Errno> {
                match name { $(stringify!($name) => Some(Errno::$name),)* _ => None }
            }
        }
    };
}

errnos! {
    /// Operation not permitted (missing capability, policy refusal).
    EPERM = 1, "Operation not permitted";
    /// No such file or directory.
    ENOENT = 2, "No such file or directory";
    /// I/O error (firmware internal error, driver returned garbage).
    EIO = 5, "Input/output error";
    /// No such device or address (command interface down, failed plugin).
    ENXIO = 6, "No such device or address";
    /// Argument list too long: non-zero bytes beyond the known struct.
    E2BIG = 7, "Argument list too long";
    /// Try again (firmware not ready).
    EAGAIN = 11, "Resource temporarily unavailable";
    /// Out of memory.
    ENOMEM = 12, "Cannot allocate memory";
    /// Permission denied (device node permissions, policy disables the device).
    EACCES = 13, "Permission denied";
    /// Bad address: a user pointer that cannot be resolved.
    EFAULT = 14, "Bad address";
    /// Device or resource busy.
    EBUSY = 16, "Device or resource busy";
    /// No such device: the device was unregistered (hot-unplug).
    ENODEV = 19, "No such device";
    /// Invalid argument.
    EINVAL = 22, "Invalid argument";
    /// Inappropriate ioctl for device: unknown ioctl number.
    ENOTTY = 25, "Inappropriate ioctl for device";
    /// No space left on device (all 4096 minors in use).
    ENOSPC = 28, "No space left on device";
    /// No message of desired type (mlx5 delivery length/descriptor errors).
    ENOMSG = 42, "No message of desired type";
    /// Invalid request descriptor (mlx5 signature/token errors).
    EBADR = 53, "Invalid request descriptor";
    /// Bad message: the driver does not allow this command at this scope.
    EBADMSG = 74, "Bad message";
    /// Message too long: buffer above 2 MiB or below the driver's minimum.
    EMSGSIZE = 90, "Message too long";
    /// Operation not supported: known field with an unsupported value.
    EOPNOTSUPP = 95, "Operation not supported";
    /// Connection timed out: firmware did not complete in time.
    ETIMEDOUT = 110, "Connection timed out";
    /// Remote I/O error: firmware reported a non-OK status.
    EREMOTEIO = 121, "Remote I/O error";
}

impl Errno {
    /// The value a C function returns for this errno: its negation.
    pub const fn negative(self) -> i32 {
        -(self as i32)
    }

    /// Decode a negative errno as returned by a C ABI function (`-EINVAL` → `EINVAL`).
    pub const fn from_negative(ret: i32) -> Option<Errno> {
        if ret < 0 { Self::from_code(ret.wrapping_neg()) } else { None }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.description())
    }
}

impl std::error::Error for Errno {}

/// JSON and other formats carry an errno by its symbolic name (`"EPERM"`), the
/// spelling the CLI prints and `Documentation/protocol.md` documents.
#[cfg(feature = "serde")]
impl serde::Serialize for Errno {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Errno {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Errno::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown errno name {name:?}")))
    }
}

#[cfg(feature = "nix")]
impl From<nix::errno::Errno> for Errno {
    /// Map an OS errno into the closed set; numbers outside it become `EIO`.
    fn from(e: nix::errno::Errno) -> Self {
        Errno::from_code(e as i32).unwrap_or(Errno::EIO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Linux values restated from asm-generic/errno-base.h and errno.h.
    #[test]
    fn numbers_match_linux() {
        let want = [
            (Errno::EPERM, 1),
            (Errno::ENOENT, 2),
            (Errno::EIO, 5),
            (Errno::ENXIO, 6),
            (Errno::E2BIG, 7),
            (Errno::EAGAIN, 11),
            (Errno::ENOMEM, 12),
            (Errno::EACCES, 13),
            (Errno::EFAULT, 14),
            (Errno::EBUSY, 16),
            (Errno::ENODEV, 19),
            (Errno::EINVAL, 22),
            (Errno::ENOTTY, 25),
            (Errno::ENOSPC, 28),
            (Errno::ENOMSG, 42),
            (Errno::EBADR, 53),
            (Errno::EBADMSG, 74),
            (Errno::EMSGSIZE, 90),
            (Errno::EOPNOTSUPP, 95),
            (Errno::ETIMEDOUT, 110),
            (Errno::EREMOTEIO, 121),
        ];
        for (e, n) in want {
            assert_eq!(e.code(), n, "{}", e.name());
            assert_eq!(e.code(), nix::errno::Errno::from_raw(n) as i32);
            assert_eq!(Errno::from_code(n), Some(e));
            assert_eq!(Errno::from_negative(-n), Some(e));
            assert_eq!(Errno::from_name(e.name()), Some(e));
        }
        assert_eq!(want.len(), Errno::ALL.len());
    }

    #[test]
    fn unknown_codes_are_not_in_the_set() {
        assert_eq!(Errno::from_code(0), None);
        assert_eq!(Errno::from_code(515), None); // ENOIOCTLCMD never leaks to user space
        assert_eq!(Errno::from_negative(5), None);
        assert_eq!(Errno::from_negative(i32::MIN), None);
    }
}
