/// What a slide folder holds: its images, in byte-wise path order, and what was left out.
public struct SlideInventory: Sendable, Equatable {
    /// PNG and JPEG files (recognised by content), sorted byte-wise by path.
    public var images: [InputFile]
    /// Files that look like images by name but are not PNG or JPEG by content, or that
    /// could not be read: reported as failed images rather than silently dropped.
    public var unusable: [ImageFailure]
    /// Files that are not images (`Thumbs.db`, CSV exports …), skipped.
    public var nonImages: [InputFile]
    /// Hidden files and folders (names starting with "."), skipped.
    public var hiddenCount: Int

    public init(images: [InputFile] = [], unusable: [ImageFailure] = [], nonImages: [InputFile] = [], hiddenCount: Int = 0) {
        self.images = images
        self.unusable = unusable
        self.nonImages = nonImages
        self.hiddenCount = hiddenCount
    }
}
