import Foundation
import MaxhubCore

/// The text `maxhub init` writes: a manifest that validates as it is, with comments on what to change.
public enum PackageSkeleton {
    public static func manifest(name: ModelName, task: String) -> String {
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

    public static func readme(name: ModelName) -> String {
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

    /// Writes `maxhub.yaml` and `README.md` for `name` into `folder` (created if needed), never over an existing file;
    /// returns the files written.
    public static func write(name: ModelName, task: String, into folder: URL) throws(PackageSkeletonError) -> [URL] {
        let manifestText = manifest(name: name, task: task)
        do {
            _ = try Manifest(yaml: manifestText)
        } catch {
            throw .unknownTask(task)
        }
        let files = [
            (folder.appendingPathComponent(Manifest.fileName), manifestText),
            (folder.appendingPathComponent("README.md"), readme(name: name)),
        ]
        for (url, _) in files where FileManager.default.fileExists(atPath: url.path) {
            throw .fileExists(url.path)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (url, text) in files { try Data(text.utf8).write(to: url, options: .withoutOverwriting) }
        } catch {
            throw .cannotWrite(folder.path, error.localizedDescription)
        }
        return files.map(\.0)
    }
}
