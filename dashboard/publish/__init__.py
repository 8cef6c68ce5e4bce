"""Exports: the static HTML report and chart files."""

# How exported pages get plotly.js. Here, not in report.py, so the command line can offer the choice
# without importing plotly and the export code ('dprk-timeline validate' never needs them).
PLOTLYJS_MODES = ("inline", "directory", "cdn")

# The images' default size. 900 CSS px at scale 3 is 2,700 pixels: 300 dpi across 9 inches, over 400
# across a 6.5-inch text column. 900 px is also the width the timeline's key-event captions are laid out
# for (captions.NOMINAL_WIDTH), and the charts' 13 px type prints at about 7 pt in a text column; at
# 1,600 px it would shrink to 4 pt.
IMAGE_WIDTH, IMAGE_SCALE = 900, 3.0
# 3000 px x 5 stays under the 16,384 px a Chromium canvas side can have
IMAGE_WIDTH_RANGE, IMAGE_SCALE_RANGE = (300, 3000), (1.0, 5.0)
