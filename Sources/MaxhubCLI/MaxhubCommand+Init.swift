import ArgumentParser
import Foundation
import MaxhubArchive
import MaxhubCore

extension MaxhubCommand {
    /// `maxhub init NAME`: a package skeleton with a valid manifest and a model card.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a package skeleton: maxhub.yaml and a model-card README.md.",
            discussion: "Writes into DIR (default: a new folder named after the model). Existing files are never overwritten."
        )

        @Argument(help: "The model's name: lowercase letters, digits, . _ - (optionally owner/name).")
        var name: String

        @Option(name: .customLong("dir"), help: "The package folder to create or fill.")
        var directory: String?

        @Option(help: "The task, from the vocabulary in schemas/README.md.")
        var task = "image-classification"

        func validate() throws {
            do {
                _ = try ModelName(parsing: name)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let modelName = try ModelName(parsing: name)
            let folder = URL(fileURLWithPath: directory ?? modelName.name)
            _ = try PackageSkeleton.write(name: modelName, task: task, into: folder)
            Terminal.standardOutput.writeLine("created \(modelName) in \(folder.path): \(Manifest.fileName), README.md")
            Terminal.standardOutput.writeLine("next: add the model files, edit \(Manifest.fileName), then `maxhub pack \(folder.path)`")
        }
    }
}
