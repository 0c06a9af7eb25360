import Foundation
import KeyformCLI

#if canImport(Glibc)
import Glibc

/// A run of Keyform is short and allocates in bursts (a large state or plan is read into
/// memory, decoded, compared and dropped). glibc's defaults grow the heap 128 KiB at a time,
/// each growth a system call and a round of page faults, and serve every block from 128 KiB
/// up with its own mmap. Growing 16 MiB at a time and keeping blocks up to 32 MiB in the heap
/// takes about a tenth off `plan` of 10,000 integrations (docs/benchmarks/plan-apply.md).
/// These bound how memory is requested; pages that are never used are never touched.
///
/// `mallopt` is glibc's (`<malloc.h>`, which the Glibc module does not export), so it is
/// looked up by name; on another C library the defaults stay.
private func tuneAllocator() {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
    let topPad: Int32 = -2, mmapThreshold: Int32 = -3  // M_TOP_PAD, M_MMAP_THRESHOLD
    _ = mallopt(topPad, 16 << 20)
    _ = mallopt(mmapThreshold, 32 << 20)
}

tuneAllocator()
#endif

let code = await CLI.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
