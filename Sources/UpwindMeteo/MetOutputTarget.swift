import Foundation

/// Where a met writer (``CFWriter``, ``ARLWriter``) renames its finished temporary file: the
/// path itself, or the final target of a symbolic link (which stays a link). A met file needs
/// seeking, so an existing FIFO, device or socket is refused rather than replaced by a regular
/// file (issue 13: `--out` naming a device used to replace it).
enum MetOutputTarget {
    /// The file to replace for `path`.
    /// - Throws: ``MetWriteError/cannotWrite(path:detail:)`` for a folder, a FIFO, a device, a
    ///   socket or a loop of links.
    static func resolve(_ path: String) throws -> String {
        var current = path
        for _ in 0 ..< 40 {
            var info = stat()
            guard lstat(current, &info) == 0 else { return current }   // a new file
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                return current
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n >= 0 else { return current }
                let target = String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = target.hasPrefix("/") ? target : (current as NSString).deletingLastPathComponent + "/" + target
            case S_IFDIR:
                throw MetWriteError.cannotWrite(path: path, detail: "it is a folder; give a file name")
            default:
                let kind = info.st_mode & S_IFMT == S_IFIFO ? "a FIFO" : info.st_mode & S_IFMT == S_IFCHR ? "a character device" : "a device or socket"
                throw MetWriteError.cannotWrite(path: path, detail: "it is \(kind), and a met file must be written to a regular file (it is not streamed)")
            }
        }
        throw MetWriteError.cannotWrite(path: path, detail: "too many levels of symbolic links")
    }
}

/// What a met path names when it is not a regular file or a folder (issue 13: `/dev/zero`
/// given as met used to be reported as an empty NetCDF file; a FIFO blocked the format probe).
enum SpecialFile {
    /// "a character device", "a FIFO (named pipe)", "a block device", "a socket", or nil for a
    /// regular file, a folder or a path that does not exist (symbolic links are followed).
    static func kind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFCHR: return "a character device"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return nil
        }
    }

    /// Refuses met paths that are devices, FIFOs or sockets.
    /// - Throws: ``MetError/unsupportedFormat(path:detail:)`` naming what the path is.
    static func refuse(_ paths: [String]) throws {
        for path in paths {
            if let kind = kind(path) {
                throw MetError.unsupportedFormat(path: path, detail: "it is \(kind), not a met file; give a NetCDF or HYSPLIT ARL file")
            }
        }
    }
}
