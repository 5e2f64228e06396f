#include <dmtx.h>
#include <string.h>

/* Reads the first Data Matrix found in an 8-bit grey image whose rows run top to bottom. Copies at
   most `size` bytes of its message into `out` and returns the message length, or -1 when no symbol
   was found and decoded within `msec` milliseconds. One call owns all libdmtx state, so callers on
   different threads do not share any. */
static inline int nightjar_dmtx_read(unsigned char *pixels, int width, int height, long msec,
                                     unsigned char *out, int size) {
    DmtxImage *image = dmtxImageCreate(pixels, width, height, DmtxPack8bppK);
    if (image == NULL) return -1;
    dmtxImageSetProp(image, DmtxPropImageFlip, DmtxFlipNone);
    int n = -1;
    DmtxDecode *decode = dmtxDecodeCreate(image, 1);
    if (decode != NULL) {
        DmtxTime until = dmtxTimeAdd(dmtxTimeNow(), msec);
        DmtxRegion *region = dmtxRegionFindNext(decode, &until);
        if (region != NULL) {
            DmtxMessage *message = dmtxDecodeMatrixRegion(decode, region, DmtxUndefined);
            if (message != NULL) {
                n = (int)message->outputIdx;
                memcpy(out, message->output, (size_t)(n < size ? n : size));
                dmtxMessageDestroy(&message);
            }
            dmtxRegionDestroy(&region);
        }
        dmtxDecodeDestroy(&decode);
    }
    dmtxImageDestroy(&image);
    return n;
}
