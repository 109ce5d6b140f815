package dev.mediagate.imaging;

import dev.mediagate.core.files.FileType;
import java.util.List;

/** What processing an uploaded file led to. */
public sealed interface MediaOutcome {

    /** Will never become variants; retrying cannot help. */
    record Rejected(RejectionReason reason, String detail) implements MediaOutcome {
    }

    /** An allowed non-image (PDF) whose bytes match its declared type: ready, no variants. */
    record Document(FileType type) implements MediaOutcome {
    }

    /**
     * An image: its upright size, how many frames it had and how long one loop of them lasts (an animation keeps them in
     * its WebP alternates; JPEG, PNG and AVIF show the first), its variants, and what stands for it before they load: a
     * data-URI placeholder, its ThumbHash (base64) and its dominant colour ({@code #rrggbb}).
     */
    record Image(FileType type, int width, int height, int frames, int durationMs, List<Variant> variants, String placeholder,
            String thumbhash, String dominantColor) implements MediaOutcome {

        public Image {
            variants = List.copyOf(variants);
        }

        public boolean animated() {
            return frames > 1;
        }
    }

    /** One encoded variant (JPEG, or PNG when it has transparency) and the same pixels in each extra format, all without metadata. */
    record Variant(String name, byte[] bytes, FileType type, int width, int height, List<Alternate> alternates) {

        public Variant {
            alternates = List.copyOf(alternates);
        }
    }

    /** The variant in one of {@code VARIANT_FORMATS}, with its frame count (more than 1: an animated WebP). */
    record Alternate(VariantFormat format, byte[] bytes, int frames) {
    }
}
