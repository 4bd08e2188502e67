// libFuzzer harness: JPEG decoding at full and reduced scale. The first input byte picks
// the scale (low two bits: 1/1, 1/2, 1/4, 1/8 of the header's size), the rest is the
// file. Built and run by .ci/fuzz; libjpeg-turbo itself is not instrumented.
import SmearImaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let factor = ScaleFactor.reductions[Int(input.byte() & 3)]
    let bytes = input.rest
    var options = DecodeOptions(maxMegapixels: FuzzLimits.maxMegapixels)
    if factor != .one, let info = try? ImageDecoder.info(data: bytes, path: "<fuzz>") {
        options.minimumWidth = factor.scaled(info.width)
        options.minimumHeight = factor.scaled(info.height)
    }
    checkDecode(bytes, options: options)
    return 0
}
