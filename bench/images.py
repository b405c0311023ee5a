"""
Benchmark: storing a 24-megapixel camera JPEG in the media library (renditions and crops).

Each run happens in a fresh process, so its peak memory (ru_maxrss) is its own.
Prints the median time and peak memory over the runs, as a Markdown table row.

    python bench/images.py [--runs 5]
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 6000, 4000  # 24 megapixels


def make_camera_jpeg(path):
    """A photo-like 24 MP JPEG: smooth gradients with sensor-like noise, quality 92."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    noise = Image.effect_noise((WIDTH, HEIGHT), 40)
    red = Image.blend(gradient, noise, 0.3)
    green = Image.blend(gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.3)
    blue = Image.blend(gradient.rotate(90, expand=False), noise, 0.3)
    image = Image.merge("RGB", (red, green, blue))
    image.save(path, "JPEG", quality=92)


def peak_rss_mb():
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def one_run(source):
    """In this process: process the picture once; report seconds and peak memory."""
    import time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage

    from articles.media.library import add_picture

    data = Path(source).read_bytes()
    before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        # As the library stores an upload: renditions and focal crops, no database row.
        picture = add_picture(
            io.BytesIO(data), save=False, storage=FileSystemStorage(location=folder)
        )
        width, height, renditions = picture.width, picture.height, picture.renditions
        elapsed = time.perf_counter() - started
    peak = peak_rss_mb()
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "grew_mb": peak - before,
                      "renditions": len(renditions), "master": [width, height]}))  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        one_run(args.one_run)
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "camera.jpg"
        make_camera_jpeg(source)
        size_mb = source.stat().st_size / 1024 / 1024
        results = []
        for _ in range(args.runs):
            output = subprocess.run(
                [sys.executable, __file__, "--one-run", str(source)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    seconds = statistics.median(r["seconds"] for r in results)
    peak = statistics.median(r["peak_mb"] for r in results)
    grew = statistics.median(r["grew_mb"] for r in results)
    print("| picture | runs | median time | median peak memory (process) | added by processing |")
    print("|---|---|---|---|---|")
    print(
        f"| {WIDTH} × {HEIGHT} JPEG, {size_mb:.1f} MB | {args.runs} | {seconds:.2f} s "
        f"| {peak:.0f} MB | {grew:.0f} MB |"
    )


if __name__ == "__main__":
    main()
