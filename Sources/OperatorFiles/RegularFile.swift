import Foundation

/// Files an operator's configuration names (fonts, images, mapping tables, data) must be plain files:
/// opening a named pipe blocks until someone writes to it, and a device or directory never reads as
/// what the form expects. Checked with stat(2) before anything opens the path.
public enum RegularFile {
    /// Why `path` cannot be read as a regular file, or nil when it can ("does not exist", "is a named pipe (FIFO), …", as a predicate).
    public static func problem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? "does not exist" : "cannot be read (\(String(cString: strerror(errno))))"
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return access(path, R_OK) == 0 ? nil : "cannot be read (permission denied)"
        case S_IFIFO: return "is a named pipe (FIFO), not a regular file"
        case S_IFDIR: return "is a directory, not a file"
        case S_IFCHR, S_IFBLK: return "is a device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }
}
