import ForgeTensor
public import Foundation

/// Images in class-named folders (`root/cat/001.pgm`, `root/dog/002.ppm`), loaded into memory
/// (torchvision's `ImageFolder`). Classes are the sorted folder names; labels are their indices.
///
/// ```swift
/// let images = try ImageFolderDataset(root: url)
/// images.classNames          // ["cat", "dog"]
/// images[0].features.shape   // [channels, height, width]
/// ```
public struct ImageFolderDataset: Dataset {
    /// The class names, sorted; label `i` is `classNames[i]`.
    public let classNames: [String]
    /// The image files, in dataset order (by class, then file name).
    public let files: [URL]
    /// All images, `[count, channels, height, width]`, `float32` in `[0, 1]`.
    public let images: TensorDataset

    /// Loads every `.pgm`/`.ppm`/`.pnm` image under `root`'s sub-folders.
    ///
    /// - Throws: ``ForgeDataError``: `fileNotFound` (no root), `empty` (no images), any PNM decoding
    ///   error (with the file), `sizeMismatch` naming the first image whose shape differs.
    public init(root: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ForgeDataError(code: .fileNotFound, message: "no such directory", file: root.path)
        }
        let folders: [String]
        do {
            folders = try manager.contentsOfDirectory(atPath: root.path).filter { name in
                var folder: ObjCBool = false
                return !name.hasPrefix(".")
                    && manager.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &folder)
                    && folder.boolValue
            }.sorted()
        } catch {
            throw ForgeDataError(code: .io, message: "cannot list: \(error)", file: root.path)
        }
        var files: [URL] = []
        var pictures: [Tensor] = []
        var labels: [Int64] = []
        for (label, folder) in folders.enumerated() {
            let directory = root.appendingPathComponent(folder)
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: directory.path).filter {
                    ["pgm", "ppm", "pnm"].contains(($0 as NSString).pathExtension.lowercased())
                }.sorted()
            } catch {
                throw ForgeDataError(code: .io, message: "cannot list: \(error)", file: directory.path)
            }
            for name in names {
                let file = directory.appendingPathComponent(name)
                let picture = try PNMImage.decode(Array(readFileBytes(file)), path: file.path)
                if let first = pictures.first, first.shape != picture.shape {
                    throw ForgeDataError(
                        code: .sizeMismatch, message: "image is \(picture.shape), earlier images are \(first.shape)",
                        file: file.path)
                }
                files.append(file)
                pictures.append(picture)
                labels.append(Int64(label))
            }
        }
        guard !pictures.isEmpty else {
            throw ForgeDataError(code: .empty, message: "no .pgm/.ppm images in class folders", file: root.path)
        }
        classNames = folders
        self.files = files
        images = TensorDataset(features: Tensor.stacked(pictures), labels: Tensor(labels, shape: [labels.count]))
    }

    /// The number of images.
    public var count: Int { images.count }

    /// Image `index` (`[channels, height, width]`) and its class index (0-d `int64`).
    public subscript(index: Int) -> Example { images[index] }

    /// The images at `indices`, gathered in one copy.
    public func batch(at indices: [Int]) -> Batch { images.batch(at: indices) }
}
