import SmearCells

/// `summary.json`: a slide's counts, differential, blast share with its interval, flags,
/// and what produced them. Contains nothing time-dependent, so equal inputs give
/// byte-identical files.
public enum SlideSummary {
    /// The summary document.
    public static func json(for result: SlideResult) -> JSONValue {
        let counts = result.counts
        let interval = counts.blastInterval
        var perClass: [String: JSONValue] = [:]
        for cellClass in CellClass.allCases { perClass[cellClass.rawValue] = .int(counts.perClass[cellClass]!) }
        var differential: [String: JSONValue] = [:]
        var differentialCI: [String: JSONValue] = [:]
        for cellClass in CellClass.countedLeukocytes {
            differential[cellClass.rawValue] = counts.differentialPercent(cellClass).map(JSONValue.number) ?? .null
            differentialCI[cellClass.rawValue] = percentInterval(counts.differentialInterval(cellClass))
        }
        var flags: [String: JSONValue] = [:]
        for flag in result.flags { flags[flag.name] = flag.json }
        return .object([
            "slide": .string(result.slide.name),
            "images": .int(result.imagesFound),
            "images_analyzed": .int(result.imagesAnalyzed),
            "images_failed": .array(result.failures.map {
                .object(["path": .string($0.path), "reason": .string($0.reason)])
            }),
            "images_blurred": .int(result.imagesBlurred),
            "files_skipped": .object([
                "hidden": .int(result.inventory.hiddenCount),
                "non_image": .int(result.inventory.nonImages.count),
            ]),
            "cells_total": .int(counts.cellsLocated),
            "cells_at_border": .int(counts.cellsAtBorder),
            "cells_beside_centre_cell": .int(counts.cellsBesideCentre),
            "cells_counted": .int(counts.cellsCounted),
            "low_confidence_cells": .int(counts.lowConfidence),
            "counts": .object(perClass),
            "leukocytes_counted": .int(counts.leukocytes),
            "differential_percent": .object(differential),
            "differential_percent_ci95": .object(differentialCI),
            "blast_percent": counts.blastPercent.map(JSONValue.number) ?? .null,
            "blast_percent_ci95": percentInterval(interval),
            "nrbc_per_100_wbc": counts.erythroblastsPer100Leukocytes.map(JSONValue.number) ?? .null,
            "flags": .object(flags),
            "model": .object(["name": .string(result.model.name), "sha256": .string(result.model.sha256)]),
            "software_version": .string(SoftwareVersion.current),
            "parameters": result.parameters.json,
            "scale": scale(of: result),
            "notice": .string(ResearchUseNotice.text),
        ])
    }

    /// Where the images' scale came from: given, or measured over the slide per image size
    /// (images of other sizes were estimated one by one).
    static func scale(of result: SlideResult) -> JSONValue {
        if let given = result.parameters.scaleMicronsPerPixel {
            return .object(["source": .string("given"), "um_per_px": .number(given)])
        }
        return .object([
            "source": .string("estimated"),
            "per_image_size": .array((result.slideScale?.groups ?? []).map { group in
                .object(["width": .int(group.width), "height": .int(group.height), "um_per_px": .number(group.micronsPerPixel),
                         "images_sampled": .int(group.sampled), "images_measured": .int(group.measured),
                         "red_cells_pooled": .int(group.redCells)])
            }),
            "other_images": .string("estimated one by one from their red cells"),
        ])
    }

    /// `[low, high]` in percent.
    static func percentInterval(_ interval: WilsonInterval) -> JSONValue {
        .array([.number(100 * interval.lower), .number(100 * interval.upper)])
    }
}
