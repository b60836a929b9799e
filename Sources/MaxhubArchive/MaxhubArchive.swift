import CArchive
import MaxhubCore

/// The version of libarchive this build links, e.g. `libarchive 3.6.2`.
public var libarchiveVersion: String { String(cString: archive_version_string()) }

/// The version of libzstd that libarchive links, or nil when it compresses zstd without the library.
///
/// Reproducible zstd archives are byte-identical only between builds that share this version.
public var libzstdVersion: String? {
    guard let version = archive_libzstd_version() else { return nil }
    return String(cString: version)
}
