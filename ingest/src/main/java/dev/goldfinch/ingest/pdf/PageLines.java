package dev.goldfinch.ingest.pdf;

import java.util.List;

/**
 * A page's lines (read from its text layer, or recognised by OCR), its height, and whether it has images.
 *
 * @param lines     the lines in reading order
 * @param height    the page's height in points, as it is shown (its crop box, turned by its rotation)
 * @param hasImages the page draws an image; only looked at (and so only true) when it has no text: a scan
 */
record PageLines(List<Line> lines, float height, boolean hasImages) {
}
