import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on DUMPS for one fetch at a time, released by the kernel when the process ends (even by SIGKILL).
///
/// Schedulers start runs that may overlap; two writers would interleave
/// their checkpoints.
final class DumpsLock {
  private let descriptor: Int32

  init(stateFolder: String) throws(FetchError) {
    try AtomicFile.makeFolder(stateFolder)
    let path = stateFolder + "/lock"
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw .locked(path: (stateFolder as NSString).deletingLastPathComponent)
    }
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
