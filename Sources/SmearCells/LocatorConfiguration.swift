/// The physical rules of `LeukocyteLocator`, all in micrometres, so the same
/// configuration serves every magnification (the locator converts them to pixels).
public struct LocatorConfiguration: Sendable, Equatable {
    /// The working resolution the locator reduces images to, µm per pixel. Leukocyte nuclei
    /// (≥ 4 µm) and neutrophil lobes (≈ 2 µm) stay several pixels wide at 0.4 µm/px.
    public var workingMicronsPerPixel: Double = 0.4
    /// Stained specks smaller than this are debris, not nucleus lobes (µm²).
    public var minLobeArea: Double = 1.5
    /// Smallest nucleus (all lobes) of a leukocyte (µm²); platelets (2–3 µm) fall below.
    public var minNucleusArea: Double = 11
    /// Largest nucleus area still taken as one cell (µm²).
    public var maxNucleusArea: Double = 600
    /// Lobes closer than this are grouped into one cell (µm): the gaps between the lobes
    /// of a segmented neutrophil are well under it.
    public var lobeGap: Double = 3.0
    /// Nucleus parts at least this far (µm) from the nucleus edge are watershed markers:
    /// each round nucleus has one such core, while lobes (≈ 2 µm wide) have none, so
    /// touching round nuclei are split and lobes are not.
    public var coreRadius: Double = 2.6
    /// Cores must also reach this fraction of the group's largest distance to the edge: two
    /// round nuclei pressed together along a neck narrower than this fraction of their
    /// radius are split. Cores that are really bulges of one nucleus are merged back
    /// (`mergeConvexity`), which lets this stay low (0.55 measured best on the single-cell
    /// images, 0.45 to 0.75 tried).
    public var coreFraction: Double = 0.55
    /// Smallest part a split may leave as a cell of its own (µm²): a lymphocyte nucleus is
    /// about 40 µm², while the lobes of a segmented neutrophil, which can look round and fat
    /// in blurred fields, stay below; smaller parts rejoin their nearest neighbour.
    public var minSplitArea: Double = 26
    /// A group is only split when its nuclear material spans more than this (µm, the longer
    /// side of its box): the lobes of one granulocyte or the folds of a monocyte stay within
    /// about 13 µm, two touching lymphocytes (nuclei ≥ 7 µm, each in its own rim of
    /// cytoplasm) or blasts do not.
    public var minSplitExtent: Double = 14.5
    /// Parts of a split are merged back when the convex hull of two of them together is at
    /// most this many times the sum of their own hulls: pieces of one nucleus cut apart along
    /// a pale line or a fold, or the fat lobes of one neutrophil, fill one convex outline
    /// (ratio near 1), while two round nuclei side by side leave notches between them (two
    /// disks touching at a point: 1.14; two lymphocytes 1.8 µm apart: 1.3). Parts within
    /// `borderMargin` of the image border are never merged back (their hull is cut too, and
    /// a whole cell merged with one would be reported cut). Measured on the deepapl and
    /// pbc single-cell images (1.1 to 1.25 tried): 1.2 with `maxMergeExtent` 22.
    public var mergeConvexity: Double = 1.2
    /// A merge back may not make a nucleus longer than this (µm, longer side of its box): the
    /// largest single nuclei of these images (blasts, monocytes) stay within it, the nuclei of
    /// two neighbours side by side mostly do not.
    public var maxMergeExtent: Double = 22
    /// A group whose nuclear material is nowhere further than `lobedCellThickness` (µm) from its
    /// edge, covers at most `lobedCellMaxArea` (µm²) and spans at most `lobedCellMaxExtent`
    /// (µm) is the lobed nucleus of one granulocyte and is never split. Measured on the
    /// single-cell images (session 6): the bilobed eosinophils and segmented neutrophils that
    /// were split had 66–108 µm², 14.8–18.4 µm and at most 3.2 µm; every real touching pair
    /// split there had 112 µm² or more, and a lymphocyte nucleus alone is about 3.5 µm thick.
    public var lobedCellThickness: Double = 3.3
    public var lobedCellMaxArea: Double = 110
    public var lobedCellMaxExtent: Double = 19
    /// Groups further apart than `lobeGap` whose bounding boxes lie within this distance (µm)
    /// of each other, each a possible nucleus (`minNucleusArea`) and thin, are joined when
    /// together they still pass the lobed-cell rule: the two lobes of an eosinophil can lie
    /// further apart than `lobeGap`, and a pale nucleus may show only its thin dark rims, on
    /// opposite sides (diagonally, their boxes are closer than they are). Measured on the
    /// single-cell images: 3.25 joins the parts of 3 images into their one cell, 3.5 of 4 (two
    /// blasts and a myelocyte seen as rims, a bilobed eosinophil), 4 also joins a listed pair of
    /// neutrophils, 5 two BCCD cells. Measuring between the parts' nearest pixels instead joins
    /// only the eosinophil at 3.5 µm, and at 5.5 µm the 4 images and that pair.
    public var lobedCellGap: Double = 3.5
    /// A group with one nucleus core or none (cells pressed flat together leave no neck) is
    /// split where a valley of density divides it: its densest pixels fall into parts of at
    /// least `densityPeakArea` (µm²) each, still apart `densityValleyDepth` (optical density)
    /// higher up. Measured on the single-cell images (session 8, peaks of 22 µm², against
    /// 94 images then reviewed as pairs): depth 0 split 19 single cells in two and found 92
    /// pairs, 0.2 split 13 and found 81, 0.4 split 11 and found 69; 18 µm² instead of 22
    /// finds 4 pairs more for no more single cells split. (Those runs scanned every 0.05; the
    /// shipped scan, coarse steps then fine, finds 84 of the 111 pairs now listed against 85.)
    public var densityPeakArea: Double = 18
    public var densityValleyDepth: Double = 0.2
    /// A group that neither cores nor density valleys split is cut along membrane lines, seen
    /// at the source's resolution: pixels whose `membraneLineWidth` neighbourhood (µm) is
    /// `membraneLineDepth` (optical density) less dense than their `membraneLineWindow`
    /// neighbourhood (µm, half side). Every part it leaves must hold `densityPeakArea`. Only for
    /// sources of at most `membraneLineMaxSourceScale` µm per pixel: the line is a few tenths
    /// of a micrometre wide, and the overview scans (0.21 µm/px) blur it into texture.
    /// Measured on the single-cell images (session 9, against the 111 pairs then listed):
    /// depth 0.4 found 87 pairs as two (84 without the rule), 0.3 89, 0.2 93 and split no more
    /// single cells than before (18), 0.15 93 with more split; a window of 0.9 µm instead of
    /// 0.6 split more single cells.
    public var membraneLineDepth: Double = 0.2
    public var membraneLineWidth: Double = 0.2
    public var membraneLineWindow: Double = 0.6
    public var membraneLineMaxSourceScale: Double = 0.15
    /// A group with no neck is only split at valleys or membrane lines when it holds at least
    /// this much nuclear material (µm²). Cells pressed flat enough to leave no neck are large
    /// (blasts, promyelocytes in packed marrow), while a crease or pale band across a single
    /// nucleus shows in nuclei of every size. Measured on the single-cell images (session 10):
    /// from 90 to 140 µm², 1 to 4 fewer single cells split in two and no listed pair lost; at
    /// 160 one pair is lost. Parts cut by the image border (see
    /// `LeukocyteLocator.refineParts`) are exempt: their area is cut too.
    public var minPressedSplitArea: Double = 130
    /// Parts of a split whose centres are closer than this (µm) are one nucleus: two nuclei of
    /// their own are at least a small nucleus (about 6 µm) apart.
    public var minNucleusSpacing: Double = 4.5
    /// Cytoplasm is taken as stained pixels within this distance of the nucleus (µm).
    public var cytoplasmReach: Double = 3
    /// Stained pixels whose nucleus map is below this fraction of their total density are
    /// eosin-stained: red cells (about 0.1 on the single-cell images), not leukocyte nuclei
    /// or basophilic cytoplasm (0.3 and more). Their median is the red-cell level of the
    /// contrast rules. The overview of a scan without leukocytes (Patient_00) finds the same
    /// dark red cells (7) with any ratio from 0.2 to 0.3; at 0.18 its red-cell level drops and
    /// it finds 21, at 0.15 79.
    public var redCellStainRatio: Double = 0.2
    /// Minimum nucleus contrast over the red cells, optical density (mean nucleus map of the
    /// cell minus the median over stained pixels). Darker red cells stay below.
    public var minContrast: Double = 0.1
    /// The cell's mean nucleus map must also be this many times the red cells' level (the
    /// median below the nucleus threshold): dark, purplish red cells of some stains rise
    /// above the median by more than `minContrast` but stay under about 1.65 times it,
    /// while nuclei reach 1.7 to 20 times it.
    public var minContrastRatio: Double = 1.75
    /// Nucleus parts at least this large (µm²) are bigger than any red cell (a 7.5 µm red
    /// cell covers 44 µm²), so they need only `largeNucleusContrastRatio`.
    public var largeNucleusArea: Double = 60
    /// The contrast ratio large nucleus parts need: the pale, pinkish nuclei of some
    /// promyelocytes and blasts, and blasts packed in clusters, stay under
    /// `minContrastRatio`. Measured on the single-cell images: any value from 1.3 to 1.5
    /// finds the same cells, 1.6 misses some; 40 µm² instead of 60 adds false cells on the
    /// overviews.
    public var largeNucleusContrastRatio: Double = 1.5
    /// A nucleus part that fails the contrast rules is still a nucleus when it is coloured
    /// unlike the red cells and denser than they are: the blue share of its optical density
    /// (`OD_b / density`) at least this far below theirs, and its mean density
    /// `nucleusDensityRatio` times theirs. Some slides stain nuclei magenta rather than violet:
    /// those rise only 1.35 to 1.7 times the red cells in the nucleus map (red minus half the
    /// blue density), but their blue share is about 0.17 against the red cells' 0.25, and they
    /// are 1.4 to 1.6 times as dense. Red cells lying on each other are as dense but keep the
    /// red cells' colour; bluish (polychromatic) red cells differ in colour but are no denser
    /// (1.1 times).
    public var nucleusBlueShareGap: Double = 0.04
    /// How many times the red cells' mean density a part kept by its colour needs
    /// (`nucleusBlueShareGap`). Measured on the single-cell images: any gap from 0.03 to 0.05
    /// and any ratio from 1.3 to 1.4 find the same cells; 1.2 adds a false cell on BCCD.
    public var nucleusDensityRatio: Double = 1.35
    /// Floors on the per-image thresholds, optical density: an image without stained matter
    /// (blank, background only) must yield no foreground rather than amplified noise.
    public var minForegroundDensity: Double = 0.15
    public var minNucleusThreshold: Double = 0.1
    /// A cell is cut by the image border when its nucleus comes within this distance (µm)
    /// of the edge. The cytoplasm is not used: it is taken as the stained pixels near the
    /// nucleus, which include the red cells pressed against it, so a whole cell among red
    /// cells would reach the edge through them.
    public var borderMargin: Double = 1

    public init() {}
}
