//! The `ccsim` binary: everything happens in `ccsim::cli`.

/// mimalloc, not the system's allocator. A large centre's state is tens of megabytes touched
/// at random (each event finds its conversation's parts cold), so address translation is a
/// good part of the cost: mimalloc reserves its memory in large aligned arenas, which Linux
/// backs with 2 MB pages where transparent huge pages are on (`madvise`, the usual default),
/// and glibc's heap, grown a little at a time, mostly is not. Measured side by side on one
/// core (docs/performance.md, "Huge pages"): a week of `scenarios/large-centre.toml` takes
/// about 15 % less user time. The price is resident memory: whole 2 MB pages, and arenas
/// committed ahead.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ccsim::cli::main()
}
