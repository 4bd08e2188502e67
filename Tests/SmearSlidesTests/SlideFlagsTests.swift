import Testing
import SmearCells
import SmearPipeline
@testable import SmearSlides

@Suite struct SlideFlagsTests {
    func flags(_ spec: [(CellClass, Int)], p: Float = 0.9, analyzed: Int = 10, blurred: Int = 0,
               parameters: AnalysisParameters = AnalysisParameters()) -> [String: SlideFlag] {
        let counts = SlideCounts(cells: cells(spec, p: p), lowConfidenceBelow: parameters.lowConfidence)
        let list = SlideFlags.evaluate(counts: counts, imagesAnalyzed: analyzed, imagesBlurred: blurred, parameters: parameters)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }

    @Test func blastThresholdsFollowTheInterval() {
        // 40/100: 95% CI 30.9–49.8%: above both thresholds.
        var f = flags([(.blast, 40), (.neutrophil, 60)])
        #expect(f["blasts_present"]?.state == .raised)
        #expect(f["blasts_who_threshold"]?.state == .above)
        #expect(f["blasts_icc_threshold"]?.state == .above)
        // 20/100: 13.3–28.9% straddles 20% (WHO), lies above 10% (ICC).
        f = flags([(.blast, 20), (.neutrophil, 80)])
        #expect(f["blasts_who_threshold"]?.state == .indeterminate)
        #expect(f["blasts_icc_threshold"]?.state == .above)
        // 5/100: 2.2–11.2%: below 20%, straddles 10%.
        f = flags([(.blast, 5), (.neutrophil, 95)])
        #expect(f["blasts_who_threshold"]?.state == .below)
        #expect(f["blasts_icc_threshold"]?.state == .indeterminate)
        // 0/100: 0–3.7%: below both, no blasts.
        f = flags([(.neutrophil, 100)])
        #expect(f["blasts_present"]?.state == .clear)
        #expect(f["blasts_who_threshold"]?.state == .below)
        #expect(f["blasts_icc_threshold"]?.state == .below)
    }

    @Test func scaleIsUncertainWithoutPooledRedCells() {
        func flag(_ scale: SlideScale?, given: Double? = nil, analyzed: Int = 10) -> SlideFlag {
            var parameters = AnalysisParameters()
            parameters.scaleMicronsPerPixel = given
            let counts = SlideCounts(cells: cells([(.neutrophil, 5)], p: 0.9), lowConfidenceBelow: parameters.lowConfidence)
            return SlideFlags.evaluate(counts: counts, imagesAnalyzed: analyzed, imagesBlurred: 0, parameters: parameters, scale: scale)
                .first { $0.name == "scale_uncertain" }!
        }
        let lone = [ScaleSample](repeating: ScaleSample(width: 360, height: 363, micronsPerPixel: 0.1, redCellDiameters: [75]), count: 4)
        let crowded = [ScaleSample](repeating: ScaleSample(width: 640, height: 480, micronsPerPixel: 0.04), count: 3)
        #expect(flag(nil, given: 0.1).state == .clear)
        #expect(flag(nil, given: 0.1).values["source"] == .string("given"))
        let pooled = flag(SlideScale(samples: lone))
        #expect(pooled.state == .clear && pooled.message == "Scale measured on this slide: 0.1 µm/pixel for 360×363 images (from 4 lone red cells).")
        #expect(flag(nil, given: 0.1).message == "Scale 0.1 µm/pixel (given).")
        // Crowded fields: no lone red cell, so the images' own estimates decide.
        let estimated = flag(SlideScale(samples: lone + crowded))
        #expect(estimated.state == .raised && estimated.message.contains("640×480") && !estimated.message.contains("360×363"))
        #expect(estimated.values["red_cells_pooled"] == .array([.int(4), .int(0)]))
        // Too few images of any size to measure the slide: every image alone.
        #expect(flag(SlideScale(samples: [])).state == .raised)
        #expect(flag(nil).state == .raised)
        #expect(flag(nil, analyzed: 0).state == .clear)
    }

    @Test func blastFlagCarriesItsNumbers() {
        let flag = flags([(.blast, 20), (.neutrophil, 80)])["blasts_who_threshold"]!
        #expect(flag.values["blasts"] == .int(20))
        #expect(flag.values["leukocytes_counted"] == .int(100))
        #expect(flag.values["threshold_percent"] == .number(20))
        #expect(flag.message.contains("13.3") && flag.message.contains("28.9"))
    }

    @Test func noLeukocytesMakesBlastThresholdsIndeterminate() {
        let f = flags([(.platelet, 5)])
        #expect(f["blasts_who_threshold"]?.state == .indeterminate)
        #expect(f["blasts_icc_threshold"]?.state == .indeterminate)
        #expect(f["few_leukocytes"]?.state == .raised)
        #expect(f["promyelocytes_high"]?.state == .clear)
    }

    @Test func promyelocytesAtTheShareRaiseTheFlag() {
        #expect(flags([(.promyelocyte, 10), (.neutrophil, 90)])["promyelocytes_high"]?.state == .raised)
        #expect(flags([(.promyelocyte, 9), (.neutrophil, 91)])["promyelocytes_high"]?.state == .clear)
        var parameters = AnalysisParameters()
        parameters.promyelocytePercent = 5
        #expect(flags([(.promyelocyte, 5), (.neutrophil, 95)], parameters: parameters)["promyelocytes_high"]?.state == .raised)
    }

    @Test func fewLeukocytesBelowTheMinimum() {
        #expect(flags([(.neutrophil, 99)])["few_leukocytes"]?.state == .raised)
        #expect(flags([(.neutrophil, 100)])["few_leukocytes"]?.state == .clear)
        var parameters = AnalysisParameters()
        parameters.minimumLeukocytes = 200
        #expect(flags([(.neutrophil, 199), (.erythroblast, 10)], parameters: parameters)["few_leukocytes"]?.state == .raised)
    }

    @Test func manyLowConfidenceCellsAtTheShare() {
        let parameters = AnalysisParameters()
        func state(low: Int, sure: Int) -> FlagState? {
            let records = cells([(.neutrophil, low)], p: 0.4) + cells([(.neutrophil, sure)], p: 0.9)
            let counts = SlideCounts(cells: records, lowConfidenceBelow: parameters.lowConfidence)
            return SlideFlags.lowConfidence(counts, parameters: parameters).state
        }
        #expect(state(low: 20, sure: 80) == .raised)
        #expect(state(low: 19, sure: 81) == .clear)
        #expect(state(low: 0, sure: 0) == .clear)
    }

    @Test func manyBlurredImagesAtTheShare() {
        #expect(flags([(.neutrophil, 100)], analyzed: 10, blurred: 2)["many_blurred_images"]?.state == .raised)
        #expect(flags([(.neutrophil, 100)], analyzed: 10, blurred: 1)["many_blurred_images"]?.state == .clear)
        #expect(flags([(.neutrophil, 100)], analyzed: 0, blurred: 0)["many_blurred_images"]?.state == .clear)
    }
}
