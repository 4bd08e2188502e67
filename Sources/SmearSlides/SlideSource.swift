/// A slide to analyse: its name (also its output folder's name) and where its images are.
public struct SlideSource: Sendable, Equatable {
    /// Which files of `folder` belong to the slide.
    public enum Scope: Sendable, Equatable {
        /// Every image anywhere below the folder (CellaVision nests label folders).
        case wholeTree
        /// Only the images directly in the folder: a batch root's loose images, whose
        /// subfolders are slides of their own.
        case topLevelFiles
    }

    public var name: String
    /// The slide folder's path, as given (never written to).
    public var folder: String
    public var scope: Scope

    public init(name: String, folder: String, scope: Scope) {
        self.name = name
        self.folder = folder
        self.scope = scope
    }
}
