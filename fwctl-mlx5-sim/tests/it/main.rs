//! Integration tests of the mlx5 driver and simulated firmware: allow-list,
//! every opcode, capability pages, registers, golden layouts from mlx5_ifc.h, uctx
//! lifecycle and faults, and a fuzz-style property test of the mailbox parser.
//! One test binary; each file below is a module.

mod common;

mod all_opcodes;
mod allow_list;
mod caps;
mod fuzz;
mod golden;
mod registers;
mod uctx_and_faults;
