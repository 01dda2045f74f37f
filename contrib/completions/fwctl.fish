# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_fwctl_global_optspecs
    string join \n transport= runtime-dir= policy= state-dir= audit-log= plugin= dev-dir= system-runtime-dir= daemon-config= simulate pretty color= timeout= q/quiet h/help V/version
end

function __fish_fwctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_fwctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_fwctl_using_subcommand
    set -l cmd (__fish_fwctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c fwctl -n "__fish_fwctl_needs_command" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_needs_command" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_needs_command" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_needs_command" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_needs_command" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_needs_command" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_needs_command" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_needs_command" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_needs_command" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "list" -d 'List devices: name, type, parent, driver, state, transport and taint'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "info" -d 'Show a device\'s type and its decoded device data (FWCTL_INFO)'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "rpc" -d 'Send one RPC with a hex (or binary) payload and print the response'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "mlx5" -d 'Typed mlx5 commands: build the mailbox, pick the scope, decode the response'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "cxl" -d 'Typed CXL Features commands: features, get, set'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "pds" -d 'Typed pds commands: endpoints, ops, call'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "bnxt" -d 'Typed bnxt (HWRM) commands: ver, hwrm, nvm-dir, nvm-read, commands'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "taint" -d 'Show the TAINT_FWCTL flag (bitmask 524288, letter J) and the persisted record of the first tainting RPC; `taint clear` clears it (root, audited)'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "audit" -d 'Read the audit log: every decision, taint events and taint clearing'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "policy" -d 'The admin policy: check, show, edit, set/allow/deny, explain'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "daemon" -d 'The running fwctld\'s control verbs: status, reload, plug, unplug, taint-clear (root)'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "plugin" -d 'Vendor plugins: self-test a library, list what is loaded'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "sim" -d 'The simulated subsystem\'s saved device state: `sim reset` starts over'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "exec" -d 'Run an unmodified fwctl program (uAPI ioctls on /dev/fwctl, sysfs discovery) against fwctld, without root'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "man" -d 'Print a manual page (roff): fwctl(1), fwctl-SUBCOMMAND(1), fwctld(8), fwctl-policy(5)'
complete -c fwctl -n "__fish_fwctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l raw -d 'Print the device data bytes only (binary, for piping)'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand info" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s s -l scope -d 'The scope to ask for (configuration | debug-read-only | debug-write | debug-write-full, or 0-3)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l in-file -d 'Read the request as raw binary from PATH (\'-\' for stdin)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l hex-file -d 'Read the request as hex text from PATH (\'-\' for stdin): \'#\' comments and xxd -p output accepted' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l out-len -d 'Response buffer size (default: the size the driver expects for this command, else 4096)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s f -l format -d 'Output format' -r -f -a "hexdump\t'Offsets, 16 bytes a line and an ASCII column, with the status line above'
hex\t'Plain hex, 32 bytes a line, status as a `#` comment: valid input for `--hex-file`'
raw\t'The response bytes only on stdout (for piping); status on stderr'
json\t'One JSON object: request, scope, lengths, errno, status, response, decoded fields'"
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s o -l output-format -d 'Output format, nvme-cli style: normal (hexdump), json, or binary (raw bytes)' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l json -d 'Print JSON (same as --format json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l dry-run -d 'Describe and policy-check the request and print what would be sent; never deliver it'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s v -l verbose -d 'Print the decoded request (opcode name, op_mod, minimum scope, effects) first'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s y -l yes -d 'Confirm a tainting scope (debug-write, debug-write-full) without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand rpc" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "query-adapter" -d 'QUERY_ADAPTER: vendor ids, PSID, vendor-specific data'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "hca-cap" -d 'QUERY_HCA_CAP: one capability page (alias `cap`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "cap" -d 'QUERY_HCA_CAP: one capability page (alias `cap`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "issi" -d 'QUERY_ISSI: the interface step sequence ids'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "vport-state" -d 'QUERY_VPORT_STATE of this function or another vport'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "nic-vport" -d 'QUERY_NIC_VPORT_CONTEXT: MAC, MTU and friends'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "vport-counters" -d 'QUERY_VPORT_COUNTER: traffic counters'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "reg" -d 'ACCESS_REG: read or write a register'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "obj" -d 'Query one object or table: `obj eq --id 3`, `obj flow_table --id 1`, `obj vhca_state` (names: the QUERY_* opcodes without QUERY_, lower case)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "diag" -d 'Diagnostic counters: parameters, sampling set-up, samples'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "nop" -d 'NOP: a command that does nothing (checks the command interface)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and not __fish_seen_subcommand_from query-adapter hca-cap cap issi vport-state nic-vport vport-counters reg obj diag nop help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from query-adapter" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l type -l id -d 'Capability type by name (GENERAL, ROCE, DEBUG, …) or number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l mode -d 'Current or maximum values' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from hca-cap" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l type -l id -d 'Capability type by name (GENERAL, ROCE, DEBUG, …) or number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l mode -d 'Current or maximum values' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from cap" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from issi" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l vport -d 'Another vport\'s number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-state" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l vport -d 'Another vport\'s number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nic-vport" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l vport -d 'Another vport\'s number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l port -d 'Physical port number' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l clear -d 'Clear the counters after reading'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from vport-counters" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "list" -d 'The registers the device knows: id, name, size, access'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "read" -d 'Read a register by name (PAOS, PMTU, MTMP, …) or id (alias `get`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "get" -d 'Read a register by name (PAOS, PMTU, MTMP, …) or id (alias `get`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "write" -d 'Write register fields: FIELD=VALUE (numbers decimal or 0x hex) (alias `set`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "set" -d 'Write register fields: FIELD=VALUE (numbers decimal or 0x hex) (alias `set`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from reg" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l id -d 'The object\'s id (decimal or 0x hex)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l op-mod -d 'op_mod (the object type for general_object)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from obj" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -f -a "params" -d 'QUERY_DIAGNOSTIC_PARAMS'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -f -a "set" -d 'SET_DIAGNOSTIC_PARAMS: choose counters and sampling'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -f -a "counters" -d 'QUERY_DIAGNOSTIC_COUNTERS: read samples'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from diag" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the command' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l dry-run -d 'Describe and policy-check the command without sending it'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from nop" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "query-adapter" -d 'QUERY_ADAPTER: vendor ids, PSID, vendor-specific data'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "hca-cap" -d 'QUERY_HCA_CAP: one capability page (alias `cap`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "issi" -d 'QUERY_ISSI: the interface step sequence ids'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "vport-state" -d 'QUERY_VPORT_STATE of this function or another vport'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "nic-vport" -d 'QUERY_NIC_VPORT_CONTEXT: MAC, MTU and friends'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "vport-counters" -d 'QUERY_VPORT_COUNTER: traffic counters'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "reg" -d 'ACCESS_REG: read or write a register'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "obj" -d 'Query one object or table: `obj eq --id 3`, `obj flow_table --id 1`, `obj vhca_state` (names: the QUERY_* opcodes without QUERY_, lower case)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "diag" -d 'Diagnostic counters: parameters, sampling set-up, samples'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "nop" -d 'NOP: a command that does nothing (checks the command interface)'
complete -c fwctl -n "__fish_fwctl_using_subcommand mlx5; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -a "features" -d 'Get Supported Features (0x0500): the feature table'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -a "get" -d 'Get Feature (0x0501): a feature\'s value'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -a "set" -d 'Set Feature (0x0502): write a feature\'s value (hex bytes)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and not __fish_seen_subcommand_from features get set help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l start -d 'First entry' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l count -d 'Most entries to return' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from features" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l selection -d 'Which value: current, default or saved' -r -f -a "current\t''
default\t''
saved\t''"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l offset -d 'Byte offset into the value' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l count -d 'Bytes to read' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l offset -d 'Byte offset into the value' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l feature-version -d 'The feature\'s set version (from `features`)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from help" -f -a "features" -d 'Get Supported Features (0x0500): the feature table'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from help" -f -a "get" -d 'Get Feature (0x0501): a feature\'s value'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set Feature (0x0502): write a feature\'s value (hex bytes)'
complete -c fwctl -n "__fish_fwctl_using_subcommand cxl; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -a "endpoints" -d 'The endpoints that have operations (asks the driver\'s describe)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -a "ops" -d 'An endpoint\'s operations with their names and minimum scopes'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -a "call" -d 'Send one operation: EP, OP (command number), payload as hex'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and not __fish_seen_subcommand_from endpoints ops call help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l eps -d 'Endpoint ids to look at (A-B, decimal or 0x)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l cmds -d 'Command numbers to look at (A-B)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from endpoints" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l cmds -d 'Command numbers to look at (A-B)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from ops" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l op-version -d 'The operation version asked for (bits 16-23 of `op`)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l out-len -d 'Response payload size (`out.len`)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from call" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from help" -f -a "endpoints" -d 'The endpoints that have operations (asks the driver\'s describe)'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from help" -f -a "ops" -d 'An endpoint\'s operations with their names and minimum scopes'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from help" -f -a "call" -d 'Send one operation: EP, OP (command number), payload as hex'
complete -c fwctl -n "__fish_fwctl_using_subcommand pds; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "ver" -d 'HWRM_VER_GET: the firmware, HWRM interface and chip versions'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "hwrm" -d 'Any HWRM request without host buffers: REQ_TYPE (name or number) and the bytes after the 16-byte header'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "nvm-dir" -d 'The NVM directory (HWRM_NVM_GET_DIR_INFO, then HWRM_NVM_GET_DIR_ENTRIES into a 64 KiB DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "nvm-read" -d 'Read an NVM item (HWRM_NVM_READ into a DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "commands" -d 'The request types the bnxt driver allows and the scope each needs'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and not __fish_seen_subcommand_from ver hwrm nvm-dir nvm-read commands help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from ver" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l size -d 'Pad the request with zeros to this many bytes (16..128)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l out-len -d 'Response buffer size (default: what the driver expects, else 512)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from hwrm" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-dir" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l offset -d 'Byte offset in the item' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l len -d 'Bytes to read (1..65536)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from nvm-read" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s s -l scope -d 'Scope to use instead of the lowest one the driver allows for the request' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s y -l yes -d 'Confirm a tainting scope without asking'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from commands" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "ver" -d 'HWRM_VER_GET: the firmware, HWRM interface and chip versions'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "hwrm" -d 'Any HWRM request without host buffers: REQ_TYPE (name or number) and the bytes after the 16-byte header'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "nvm-dir" -d 'The NVM directory (HWRM_NVM_GET_DIR_INFO, then HWRM_NVM_GET_DIR_ENTRIES into a 64 KiB DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "nvm-read" -d 'Read an NVM item (HWRM_NVM_READ into a DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "commands" -d 'The request types the bnxt driver allows and the scope each needs'
complete -c fwctl -n "__fish_fwctl_using_subcommand bnxt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -f -a "clear" -d 'Clear the persisted taint record and the flag (root only; the reason is audited)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and not __fish_seen_subcommand_from clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l reason -d 'Why it is safe to clear (written to the audit log)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Clear the persisted taint record and the flag (root only; the reason is audited)'
complete -c fwctl -n "__fish_fwctl_using_subcommand taint; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l tail -d 'Only the last N matching records' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l device -d 'Only records about this device (fwctl0, 0, /dev/fwctl/fwctl0)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l uid -d 'Only records of this uid' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l denied -d 'Only refusals (records with an errno)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand audit" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "check" -d 'Validate a policy file; errors as file:line:column with a hint (exit 2 when invalid)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "show" -d 'Print the effective policy and where it came from (a file, or the built-in default); with --me, only your own rights, as the running fwctld judges them (like sudo -l)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "edit" -d 'Edit the policy in $VISUAL/$EDITOR like visudo: lock, validate (re-edit or discard on errors), show the diff, install atomically (previous file kept as .bak), ask a running fwctld to reload. Needs a terminal'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "set" -d 'Set KEY to VALUE, keeping comments and formatting. Keys: lockdown, audit, deny_firmware, rule.NAME.KEY, device.NAME.KEY. VALUE is TOML (true, "debug-write", ["a", "b"]); a bare word is a string'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "unset" -d 'Remove KEY (same addressing as `set`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "allow" -d 'Append an allow rule NAME (after every other rule: earlier rules still win)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "deny" -d 'Insert a deny rule NAME before every other rule, so it takes effect. With --opcode/--register-* it refuses only those; without, everything it names'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "remove" -d 'Remove the rule NAME'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "explain" -d 'Explain the decision for a caller, device, scope and command, check by check, and list the rules naming the caller (like sudo -l). Exit 0 allowed, 3 refused'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and not __fish_seen_subcommand_from check show edit set unset allow deny remove explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l dir -d 'The drop-in directory checked with it, as a whole (default: policy.d next to the file, e.g. /etc/fwctl/policy.d): *.toml in name order' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l me -d 'Only what applies to you: the rules naming you and, per device, whether you may open it. Asks the running fwctld (any user may); without one, the local policy file, and says so'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l user -d 'Users: names, uids, or \'*\' for everyone (repeatable or comma-separated)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l group -d 'Groups: names or gids (primary or supplementary)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l device -d 'Device names or patterns (fwctl0, fwctl[2-3], fwctl*)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l device-type -d 'Device types (mlx5, cxl, pds, bnxt)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l parent -d 'Parent device patterns, e.g. a PCI address 0000:08:00.*' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l firmware -d 'Firmware version patterns' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l max-scope -d 'The highest scope the rule grants' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l opcode -d 'Only these commands (names or numbers); others fall through to later rules' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l deny-opcode -d 'Commands refused even within the grant' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l deny-register-write -d 'Registers whose writes are refused (names or ids)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l deny-register-read -d 'Registers whose reads are refused' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l cap-sys-rawio -d 'Whoever holds CAP_SYS_RAWIO'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from allow" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l user -d 'Users: names, uids, or \'*\' for everyone (repeatable or comma-separated)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l group -d 'Groups: names or gids (primary or supplementary)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l device -d 'Device names or patterns (fwctl0, fwctl[2-3], fwctl*)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l device-type -d 'Device types (mlx5, cxl, pds, bnxt)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l parent -d 'Parent device patterns, e.g. a PCI address 0000:08:00.*' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l firmware -d 'Firmware version patterns' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l opcode -d 'Refuse only these commands (names or numbers)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l register-write -d 'Refuse writes to these registers' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l register-read -d 'Refuse reads of these registers' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l cap-sys-rawio -d 'Whoever holds CAP_SYS_RAWIO'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from deny" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l user -d 'The caller: a user name or uid (its primary group comes from the user database). Default: you. A running fwctld answers others\' questions for root only' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l group -d 'Supplementary groups (names or gids; repeatable or comma-separated)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l device -d 'The device' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l scope -d 'The scope asked for; without it, explain opening the device' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l opcode -d 'The command: the driver\'s name (QUERY_HCA_CAP) or a number (0x100). Without it, the request is one the driver cannot describe (command lists never match)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l op-mod -d 'The command\'s op_mod' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l register -d 'Ask about a register access (mlx5 ACCESS_REG): a name (PAOS) or id (0x5006); a read unless --write' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l cap-sys-rawio -d 'The caller holds CAP_SYS_RAWIO'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l write -d 'With --register: a write (deny_register_writes applies), not a read'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a policy file; errors as file:line:column with a hint (exit 2 when invalid)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective policy and where it came from (a file, or the built-in default); with --me, only your own rights, as the running fwctld judges them (like sudo -l)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Edit the policy in $VISUAL/$EDITOR like visudo: lock, validate (re-edit or discard on errors), show the diff, install atomically (previous file kept as .bak), ask a running fwctld to reload. Needs a terminal'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set KEY to VALUE, keeping comments and formatting. Keys: lockdown, audit, deny_firmware, rule.NAME.KEY, device.NAME.KEY. VALUE is TOML (true, "debug-write", ["a", "b"]); a bare word is a string'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove KEY (same addressing as `set`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "allow" -d 'Append an allow rule NAME (after every other rule: earlier rules still win)'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Insert a deny rule NAME before every other rule, so it takes effect. With --opcode/--register-* it refuses only those; without, everything it names'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove the rule NAME'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Explain the decision for a caller, device, scope and command, check by check, and list the rules naming the caller (like sudo -l). Exit 0 allowed, 3 refused'
complete -c fwctl -n "__fish_fwctl_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "status" -d 'Which fwctld runs: pid, runtime directory, policy and its load time, devices, taint'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "reload" -d 'Reload the policy (a bad file is rejected and the last good one stays)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "plug" -d 'Hot-plug a device configured in fwctld.toml, by its label'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "unplug" -d 'Hot-unplug a device: open handles get ENODEV'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "taint-clear" -d 'Clear the taint record (audited; same as `fwctl taint clear` against the daemon)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and not __fish_seen_subcommand_from status reload plug unplug taint-clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from reload" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from plug" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from unplug" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l reason -d 'Why it may be cleared (recorded in the audit log)' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from taint-clear" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which fwctld runs: pid, runtime directory, policy and its load time, devices, taint'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "reload" -d 'Reload the policy (a bad file is rejected and the last good one stays)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "plug" -d 'Hot-plug a device configured in fwctld.toml, by its label'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "unplug" -d 'Hot-unplug a device: open handles get ENODEV'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "taint-clear" -d 'Clear the taint record (audited; same as `fwctl taint clear` against the daemon)'
complete -c fwctl -n "__fish_fwctl_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -f -a "check" -d 'Load a plugin in isolation and self-test it: ABI, device type, name, then probe, open, info, describe and close of every device. Nothing is registered and no RPC is sent. Exits 3 on any problem, 2 if PATH is missing'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -f -a "list" -d 'Plugins loaded by the subsystem that answers (embedded: the --plugin libraries of this run), and the devices each one drives'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and not __fish_seen_subcommand_from check list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l config -d 'The probe configuration string handed to the plugin' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from help" -f -a "check" -d 'Load a plugin in isolation and self-test it: ABI, device type, name, then probe, open, info, describe and close of every device. Nothing is registered and no RPC is sent. Exits 3 on any problem, 2 if PATH is missing'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from help" -f -a "list" -d 'Plugins loaded by the subsystem that answers (embedded: the --plugin libraries of this run), and the devices each one drives'
complete -c fwctl -n "__fish_fwctl_using_subcommand plugin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -f -a "reset" -d 'Forget the simulated device\'s saved state (register writes, NV configuration, counters): the next run starts from power-on'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and not __fish_seen_subcommand_from reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -s o -l output-format -d 'Output format, nvme-cli style: normal or json' -r -f -a "normal\t'Text (the default)'
json\t'JSON, as `--json`'
binary\t'The raw response bytes (`rpc` only; `--format raw`)'"
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l json -d 'Print JSON instead of text (keys: Documentation/json.md)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Forget the simulated device\'s saved state (register writes, NV configuration, counters): the next run starts from power-on'
complete -c fwctl -n "__fish_fwctl_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l config -d 'The daemon configuration of the private fwctld (--embedded)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l preload -d 'The preload library (default: libfwctl_preload.so next to fwctl, or in ../lib/fwctl/; also $FWCTL_PRELOAD)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l embedded -d 'Start a private fwctld for this run (its sockets in a temporary runtime directory; stopped when the program ends) instead of using a running one'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l sysfs-only -d 'Open the real device nodes in --dev-dir (fwctld\'s FUSE nodes); fake only sysfs and stat'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand exec" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l dir -d 'Write every page into DIR instead (for packaging), one file each' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l transport -d 'How to reach devices' -r -f -a "auto\t'Kernel if `/dev/fwctl` has devices, else a running daemon, else embedded'
daemon\t'A `fwctld` daemon\'s sockets under the runtime directory'
embedded\t'The subsystem built in this process with the simulated device'
kernel\t'Real ioctls on `/dev/fwctl/fwctlN`'"
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l runtime-dir -d 'Directory of the daemon\'s device sockets (default /run/fwctl, or $XDG_RUNTIME_DIR/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l policy -d 'Policy file (default /etc/fwctl/policy.toml for root, else $XDG_CONFIG_HOME/fwctl/policy.toml; the built-in default policy when it does not exist)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l state-dir -d 'Directory of the embedded subsystem\'s taint record and audit log (default /var/lib/fwctl for root, else $XDG_STATE_HOME/fwctl)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l audit-log -d 'Audit log file (default: audit.log in the state directory)' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l plugin -d 'Load a vendor plugin into the embedded subsystem: PATH, or PATH?CONFIG to pass a probe configuration (e.g. libpds_sim.so?devices=2). Repeatable' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l dev-dir -d 'Device node directory the kernel transport looks in' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l system-runtime-dir -d 'The system daemon\'s runtime directory, searched before the per-user one' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l daemon-config -d 'The daemon configuration whose presence means "this machine runs fwctld"' -r -F
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l timeout -d 'Give up on a call that waits (a daemon, a policy lock) after SECS seconds; 0 waits forever' -r
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l simulate -d 'Use the in-process simulated device (same as --transport embedded)'
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -l pretty -d 'Indent JSON output (use with a command\'s --json)'
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -s q -l quiet -d 'Print no notes on standard error (warnings and errors still appear)'
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fwctl -n "__fish_fwctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "list" -d 'List devices: name, type, parent, driver, state, transport and taint'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "info" -d 'Show a device\'s type and its decoded device data (FWCTL_INFO)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "rpc" -d 'Send one RPC with a hex (or binary) payload and print the response'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "mlx5" -d 'Typed mlx5 commands: build the mailbox, pick the scope, decode the response'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "cxl" -d 'Typed CXL Features commands: features, get, set'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "pds" -d 'Typed pds commands: endpoints, ops, call'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "bnxt" -d 'Typed bnxt (HWRM) commands: ver, hwrm, nvm-dir, nvm-read, commands'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "taint" -d 'Show the TAINT_FWCTL flag (bitmask 524288, letter J) and the persisted record of the first tainting RPC; `taint clear` clears it (root, audited)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "audit" -d 'Read the audit log: every decision, taint events and taint clearing'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "policy" -d 'The admin policy: check, show, edit, set/allow/deny, explain'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "daemon" -d 'The running fwctld\'s control verbs: status, reload, plug, unplug, taint-clear (root)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "plugin" -d 'Vendor plugins: self-test a library, list what is loaded'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "sim" -d 'The simulated subsystem\'s saved device state: `sim reset` starts over'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "exec" -d 'Run an unmodified fwctl program (uAPI ioctls on /dev/fwctl, sysfs discovery) against fwctld, without root'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "man" -d 'Print a manual page (roff): fwctl(1), fwctl-SUBCOMMAND(1), fwctld(8), fwctl-policy(5)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and not __fish_seen_subcommand_from list info rpc mlx5 cxl pds bnxt taint audit policy daemon plugin sim exec completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "query-adapter" -d 'QUERY_ADAPTER: vendor ids, PSID, vendor-specific data'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "hca-cap" -d 'QUERY_HCA_CAP: one capability page (alias `cap`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "issi" -d 'QUERY_ISSI: the interface step sequence ids'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "vport-state" -d 'QUERY_VPORT_STATE of this function or another vport'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "nic-vport" -d 'QUERY_NIC_VPORT_CONTEXT: MAC, MTU and friends'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "vport-counters" -d 'QUERY_VPORT_COUNTER: traffic counters'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "reg" -d 'ACCESS_REG: read or write a register'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "obj" -d 'Query one object or table: `obj eq --id 3`, `obj flow_table --id 1`, `obj vhca_state` (names: the QUERY_* opcodes without QUERY_, lower case)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "diag" -d 'Diagnostic counters: parameters, sampling set-up, samples'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from mlx5" -f -a "nop" -d 'NOP: a command that does nothing (checks the command interface)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from cxl" -f -a "features" -d 'Get Supported Features (0x0500): the feature table'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from cxl" -f -a "get" -d 'Get Feature (0x0501): a feature\'s value'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from cxl" -f -a "set" -d 'Set Feature (0x0502): write a feature\'s value (hex bytes)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from pds" -f -a "endpoints" -d 'The endpoints that have operations (asks the driver\'s describe)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from pds" -f -a "ops" -d 'An endpoint\'s operations with their names and minimum scopes'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from pds" -f -a "call" -d 'Send one operation: EP, OP (command number), payload as hex'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from bnxt" -f -a "ver" -d 'HWRM_VER_GET: the firmware, HWRM interface and chip versions'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from bnxt" -f -a "hwrm" -d 'Any HWRM request without host buffers: REQ_TYPE (name or number) and the bytes after the 16-byte header'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from bnxt" -f -a "nvm-dir" -d 'The NVM directory (HWRM_NVM_GET_DIR_INFO, then HWRM_NVM_GET_DIR_ENTRIES into a 64 KiB DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from bnxt" -f -a "nvm-read" -d 'Read an NVM item (HWRM_NVM_READ into a DMA buffer)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from bnxt" -f -a "commands" -d 'The request types the bnxt driver allows and the scope each needs'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from taint" -f -a "clear" -d 'Clear the persisted taint record and the flag (root only; the reason is audited)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "check" -d 'Validate a policy file; errors as file:line:column with a hint (exit 2 when invalid)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'Print the effective policy and where it came from (a file, or the built-in default); with --me, only your own rights, as the running fwctld judges them (like sudo -l)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "edit" -d 'Edit the policy in $VISUAL/$EDITOR like visudo: lock, validate (re-edit or discard on errors), show the diff, install atomically (previous file kept as .bak), ask a running fwctld to reload. Needs a terminal'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "set" -d 'Set KEY to VALUE, keeping comments and formatting. Keys: lockdown, audit, deny_firmware, rule.NAME.KEY, device.NAME.KEY. VALUE is TOML (true, "debug-write", ["a", "b"]); a bare word is a string'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "unset" -d 'Remove KEY (same addressing as `set`)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "allow" -d 'Append an allow rule NAME (after every other rule: earlier rules still win)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "deny" -d 'Insert a deny rule NAME before every other rule, so it takes effect. With --opcode/--register-* it refuses only those; without, everything it names'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "remove" -d 'Remove the rule NAME'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "explain" -d 'Explain the decision for a caller, device, scope and command, check by check, and list the rules naming the caller (like sudo -l). Exit 0 allowed, 3 refused'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "status" -d 'Which fwctld runs: pid, runtime directory, policy and its load time, devices, taint'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "reload" -d 'Reload the policy (a bad file is rejected and the last good one stays)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "plug" -d 'Hot-plug a device configured in fwctld.toml, by its label'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "unplug" -d 'Hot-unplug a device: open handles get ENODEV'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "taint-clear" -d 'Clear the taint record (audited; same as `fwctl taint clear` against the daemon)'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from plugin" -f -a "check" -d 'Load a plugin in isolation and self-test it: ABI, device type, name, then probe, open, info, describe and close of every device. Nothing is registered and no RPC is sent. Exits 3 on any problem, 2 if PATH is missing'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from plugin" -f -a "list" -d 'Plugins loaded by the subsystem that answers (embedded: the --plugin libraries of this run), and the devices each one drives'
complete -c fwctl -n "__fish_fwctl_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "reset" -d 'Forget the simulated device\'s saved state (register writes, NV configuration, counters): the next run starts from power-on'
