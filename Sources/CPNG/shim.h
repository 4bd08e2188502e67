// libpng, used only through its simplified API (png_image_*), which catches libpng's
// longjmp internally and reports failure as a return value: nothing jumps over Swift.
#include <png.h>
