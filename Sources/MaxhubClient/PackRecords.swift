import Foundation
import MaxhubArchive
import MaxhubCore

/// What earlier packs of a folder produced, so that a publish knows an archive's digest before it reads a byte of the
/// weights: the hub is asked with `HEAD` first, and a package it already has is published without packing again.
///
/// A record is keyed by everything a pack's bytes depend on: the record format, the compression, the canonical
/// manifest (without `files:`), and each file's path, mode and stamp (device, inode, size, modification and change
/// times), as git's index trusts a file whose stat is unchanged. A file written so soon before the pack that a later
/// change could keep its stamp (within the clock's granularity) makes the pack unrecorded.
///
/// Records live in the package cache as `packs/<key>.json`; a record that cannot be read counts as none.
public struct PackRecords: Sendable {
    public let folder: String

    /// What a pack produced.
    public struct Record: Codable, Sendable, Equatable {
        public var digest: Digest
        public var size: Int64
        public var files: [Manifest.File]
    }

    /// Bumped whenever the archive writer's output for the same input changes.
    static let format = "maxhub-pack-record 1"

    public init(cache: PackageCache) {
        folder = cache.root + "/packs"
    }

    /// The key of a planned pack.
    public static func key(of plan: PackageBuilder.Plan, compression: ArchiveCompression) -> Digest {
        var text = "\(format)\n\(compression)\n"
        text += String(decoding: plan.manifest.canonicalJSON(), as: UTF8.self) + "\n"
        for file in plan.files {
            let stamp = file.stamp
            text += "\(file.path)\0\(file.executable)\0\(stamp.device)\0\(stamp.inode)\0\(stamp.size)\0\(stamp.mode)\0"
            text += "\(stamp.modified)\0\(stamp.changed)\n"
        }
        return Digest.of(Array(text.utf8))
    }

    /// The record for `plan`, if one was made and still reads back.
    public func record(for plan: PackageBuilder.Plan, compression: ArchiveCompression) -> Record? {
        let path = path(Self.key(of: plan, compression: compression))
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let record = try? JSONDecoder().decode(Record.self, from: data) else { return nil }
        // A record whose files do not match the plan's is not this pack's (a corrupt or hand-made file).
        guard record.files.map(\.path) == plan.files.map(\.path), record.files.map(\.size) == plan.files.map(\.stamp.size) else {
            return nil
        }
        return record
    }

    /// Remembers what packing `plan` (planned at `plannedAt`) produced. Nothing is recorded when a file changed so
    /// close to the pack that a later change might not show in its stamp; failures to write are ignored (the record
    /// only saves work).
    public func remember(
        _ plan: PackageBuilder.Plan, compression: ArchiveCompression, plannedAt: Date, digest: Digest, size: Int64, files: [Manifest.File]
    ) {
        guard Self.stampsAreSettled(plan, at: plannedAt) else { return }
        let record = Record(digest: digest, size: size, files: files)
        guard let data = try? JSONEncoder().encode(record) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path(Self.key(of: plan, compression: compression))), options: .atomic)
    }

    /// Whether every file's times lie far enough before `time` for a change after it to show: 0.1 s on a file system
    /// with nanosecond times, 2 s where times are whole seconds.
    static func stampsAreSettled(_ plan: PackageBuilder.Plan, at time: Date) -> Bool {
        let now = Int64(time.timeIntervalSince1970 * 1_000_000_000)
        let coarse = plan.files.allSatisfy { $0.stamp.modified % 1_000_000_000 == 0 && $0.stamp.changed % 1_000_000_000 == 0 }
        let margin: Int64 = coarse && !plan.files.isEmpty ? 2_000_000_000 : 100_000_000
        return plan.files.allSatisfy { max($0.stamp.modified, $0.stamp.changed) < now - margin }
    }

    private func path(_ key: Digest) -> String { "\(folder)/\(key.hex).json" }
}
