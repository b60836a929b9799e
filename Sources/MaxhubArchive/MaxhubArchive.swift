import CArchive
import MaxhubCore

/// The version of libarchive this build links.
public var libarchiveVersion: String { String(cString: archive_version_string()) }
