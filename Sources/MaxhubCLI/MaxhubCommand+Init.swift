import ArgumentParser
import Foundation
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
            let manifestURL = folder.appendingPathComponent(Manifest.fileName)
            let readmeURL = folder.appendingPathComponent("README.md")
            let manifestText = PackageSkeleton.manifest(name: modelName, task: task)
            do {
                _ = try Manifest(yaml: manifestText)
            } catch {
                throw CLIFailure("task \"\(task)\" is not in the task vocabulary (see schemas/README.md)", code: .usage)
            }
            for url in [manifestURL, readmeURL] where FileManager.default.fileExists(atPath: url.path) {
                throw CLIFailure("\(url.path) already exists; init never overwrites a file")
            }
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(manifestText.utf8).write(to: manifestURL, options: .withoutOverwriting)
                try Data(PackageSkeleton.readme(name: modelName).utf8).write(to: readmeURL, options: .withoutOverwriting)
            } catch {
                throw CLIFailure("cannot write the skeleton into \(folder.path): \(error.localizedDescription)")
            }
            Terminal.standardOutput.writeLine("created \(modelName) in \(folder.path): \(Manifest.fileName), README.md")
            Terminal.standardOutput.writeLine("next: add the model files, edit \(Manifest.fileName), then `maxhub pack \(folder.path)`")
        }
    }
}

/// The text `maxhub init` writes: a manifest that validates as it is, with comments on what to change.
enum PackageSkeleton {
    static func manifest(name: ModelName, task: String) -> String {
        """
        # maxhub package manifest. The schema is schemas/manifest.schema.json; `maxhub validate` checks this file.
        name: \(name)
        version: 0.1.0                      # Semantic Versioning 2.0.0
        task: \(task)
        description: One line on what \(name) does and on what data.
        license:                            # SPDX identifiers, confirmed or corrected by IP review
          code: Apache-2.0
          weights: Apache-2.0
          data: CC-BY-4.0
        authors:
          - Your Name
        inputs:                             # ordered processing steps turn raw input into the tensor
          - name: input
            type: tensor
            shape: [1, 4]
            element_type: float32
        outputs:
          - name: probabilities
            type: probability
        serving:
          api: max                          # max (/model/metadata, /model/predict) or oip-v2
          port: 5000
          health: /model/metadata
          command: [python3, serve.py]      # for the process runtime; add image: for docker or podman
        readme: README.md
        # files: (below, once packed) is written by `maxhub pack`; the other lines are left as they are.

        """
    }

    static func readme(name: ModelName) -> String {
        """
        # \(name)

        One paragraph on what the model does, for whom, and how well.

        ## Model

        Architecture, framework and the format of the weights.

        ## Training data

        What the model was trained on, its license, and known gaps or biases.

        ## Evaluation

        The metrics in `claims:` of maxhub.yaml, the evaluation set shipped in the package, and how to repeat them.

        ## Intended use and limits

        What the model is for, and what it must not be used for.

        """
    }
}
