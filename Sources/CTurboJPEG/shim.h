// TurboJPEG (libjpeg-turbo). Its API installs its own setjmp error handler around every
// libjpeg call and returns -1 on failure, so libjpeg's longjmp never crosses a Swift frame.
#include <turbojpeg.h>
