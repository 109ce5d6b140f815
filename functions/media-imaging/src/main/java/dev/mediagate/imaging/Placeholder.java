package dev.mediagate.imaging;

import dev.mediagate.imaging.Resampler.Pixels;
import java.util.Base64;

/** A tiny blurred preview ({@link #MAX_SIDE} px a side, {@link #MAX_URI_BYTES} as a data URI at most) to show while a variant loads. */
final class Placeholder {

    static final int MAX_SIDE = 24;
    static final int MAX_URI_BYTES = 1024;
    private static final String PREFIX = "data:image/jpeg;base64,";

    private Placeholder() {
    }

    static String of(Pixels upright) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(upright.width(), upright.height()));
        int width = Math.max(1, (int) Math.round(upright.width() * scale));
        int height = Math.max(1, (int) Math.round(upright.height() * scale));
        Pixels small = Encoders.onWhite(Resampler.resize(upright, 0, 0, upright.width(), upright.height(), width, height));
        for (int quality = 50; ; quality -= 10) {
            String uri = PREFIX + Base64.getEncoder().encodeToString(Encoders.jpeg(small, quality));
            if (uri.length() <= MAX_URI_BYTES || quality <= 10) {
                return uri;
            }
        }
    }
}
