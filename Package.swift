// swift-tools-version:6.0
// SmearScan: blood-smear leukocyte location, classification and slide summaries.
import PackageDescription

// Release builds of the numerical kernels drop bounds and overflow checks; everything
// else keeps Swift's checks. The kernels are tested against plain references instead.
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "SmearScan",
    products: [
        .executable(name: "smearscan", targets: ["smearscan"]),
        .library(name: "SmearImaging", targets: ["SmearImaging"]),
        .library(name: "SmearNet", targets: ["SmearNet"]),
        .library(name: "SmearCells", targets: ["SmearCells"]),
        .library(name: "SmearTraining", targets: ["SmearTraining"]),
        .library(name: "SmearSlides", targets: ["SmearSlides"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries: module maps only. Each is called from exactly one Swift file.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // Decoding, encoding, the pipeline's image type.
        .target(name: "SmearImaging", dependencies: ["CPNG", "CTurboJPEG"]),
        // Hot loops: GEMM calls, SIMD passes. The only target built with -Ounchecked.
        .target(name: "SmearKernels", dependencies: ["COpenBLAS"], swiftSettings: kernelSettings),
        // Tensors, layers, model files, inference, training.
        .target(name: "SmearNet", dependencies: ["SmearKernels"]),
        // Leukocyte location and crops.
        .target(name: "SmearCells", dependencies: ["SmearImaging", "SmearKernels"]),
        // One image in, classified cells out: decode at the model's scale, locate, crop, classify.
        // Shared by `analyze` and `evaluate`, so a model is judged on what the pipeline feeds it.
        .target(name: "SmearPipeline", dependencies: ["SmearImaging", "SmearCells", "SmearNet"]),
        // Datasets, label map, augmentation, metrics, training and evaluation.
        .target(name: "SmearTraining", dependencies: ["SmearPipeline"]),
        // Slides: discovery, counting, intervals, flags, reports, resume.
        .target(name: "SmearSlides", dependencies: ["SmearPipeline"]),
        // The command line: argument parsing and terminal output only.
        .executableTarget(
            name: "smearscan",
            dependencies: [
                "SmearSlides",
                "SmearTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test helpers (locating ../shared/data, random data, temporary folders).
        .target(name: "SmearTestSupport", dependencies: ["SmearImaging"], path: "Tests/SmearTestSupport"),
        .testTarget(name: "SmearImagingTests", dependencies: ["SmearImaging", "SmearTestSupport"]),
        .testTarget(name: "SmearNetTests", dependencies: ["SmearNet", "SmearKernels", "SmearTestSupport"]),
        .testTarget(name: "SmearCellsTests", dependencies: ["SmearCells", "SmearTestSupport"]),
        .testTarget(name: "SmearTrainingTests", dependencies: ["SmearTraining", "SmearTestSupport"]),
        .testTarget(name: "SmearSlidesTests", dependencies: ["SmearSlides", "SmearTestSupport"]),
        // Slow end-to-end checks over ../shared/data, kept apart so `--filter` loops stay quick.
        .testTarget(name: "DataTests", dependencies: ["SmearSlides", "SmearTestSupport"], exclude: ["single-cell-pairs.txt"]),
    ]
)
