//! The `ccsim` binary: everything happens in `ccsim::cli`.

fn main() -> std::process::ExitCode {
    ccsim::cli::main()
}
