"""Convert every PNG/JPEG in a folder to grayscale, and compare with the
classic multiprocessing version.

    python examples/python/grayscale_folder.py [FOLDER] [--out OUTDIR] [--workers N]

Without FOLDER, a demo folder of generated images is created in a temporary
directory first. Both versions decode and encode with Pillow; they differ in
the conversion and in how the work is spread over the CPUs:

  - parchunk: Pillow decodes in a thread pool (its decoders release the GIL),
    parchunk.image.to_grayscale_batch converts all images in one parallel
    call (images and rows share one chunk plan), Pillow encodes in the pool;
  - classic: multiprocessing.Pool.map over files, each worker doing
    open -> convert('L') -> save.

The outputs are bit-identical (parchunk's luma is Pillow's, verified here on
every image). Lossless PNG is written in both cases so that they can be
compared after decoding.

What to expect: for whole files the PNG/JPEG codecs take most of the time.
Pillow's codecs release the GIL, so the thread pool runs them on every CPU
as the process pool does, without worker processes and without pickling
pixels; the conversion itself is one parallel call (the script prints its
time apart). The more of the time is conversion (large images, cheap
codecs), the more the parchunk version wins.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from parchunk import image as pc_image

EXTENSIONS = (".png", ".jpg", ".jpeg")
PNG_LEVEL = 1  # same fast zlib level for both versions: encoding is not what we compare


def list_images(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.lower().endswith(EXTENSIONS))


def output_path(out_dir, path):
    return os.path.join(out_dir, os.path.splitext(os.path.basename(path))[0] + "_gray.png")


# ---- the classic version (top-level function: picklable for the pool) ----

def classic_convert_one(job):
    path, out_dir = job
    with Image.open(path) as im:
        im.convert("L").save(output_path(out_dir, path), compress_level=PNG_LEVEL)
    return path


def classic(paths, out_dir, workers):
    with multiprocessing.Pool(workers) as pool:
        pool.map(classic_convert_one, [(p, out_dir) for p in paths])


# ---- the parchunk version -------------------------------------------------

def load_rgb(path):
    """An H x W x 3 or H x W x 4 uint8 array, as Pillow's convert('L') sees it."""
    with Image.open(path) as im:
        if im.mode not in ("RGB", "RGBA", "RGBX"):
            im = im.convert("RGB")
        return np.asarray(im)


def with_parchunk(paths, out_dir, workers):
    """Returns the seconds spent decoding, converting and encoding."""
    with ThreadPoolExecutor(workers) as threads:
        t0 = time.perf_counter()
        arrays = list(threads.map(load_rgb, paths))
        t1 = time.perf_counter()
        grays = pc_image.to_grayscale_batch(arrays)  # one parallel call
        t2 = time.perf_counter()
        list(threads.map(lambda pg: save_gray(pg[1], output_path(out_dir, pg[0])),
                         zip(paths, grays)))
        t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def save_gray(gray, path):
    Image.fromarray(gray).save(path, compress_level=PNG_LEVEL)


def compare_conversion(paths, repeat=3):
    """Best-of-`repeat` seconds of the conversion alone, on decoded images:
    (parchunk batch on arrays, Pillow convert('L') on its own images)."""
    images = []
    for p in paths:
        with Image.open(p) as im:
            im.load()
            images.append(im if im.mode in ("RGB", "RGBA", "RGBX") else im.convert("RGB"))
    arrays = [np.asarray(im) for im in images]
    best_pc = best_pillow = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        pc_image.to_grayscale_batch(arrays)
        t1 = time.perf_counter()
        for im in images:
            im.convert("L")
        t2 = time.perf_counter()
        best_pc, best_pillow = min(best_pc, t1 - t0), min(best_pillow, t2 - t1)
    return best_pc, best_pillow


# ---- demo data --------------------------------------------------------------

def make_demo_folder(folder, count=24, rng=None):
    """Photo-like images of several sizes, half PNG, half JPEG, some RGBA."""
    rng = rng or np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    for k in range(count):
        h, w = (600 + 97 * (k % 5), 800 + 131 * (k % 4))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        rgb = np.stack([np.sin(xx / (40 + k)) * 100 + 128, np.cos(yy / (30 + k)) * 100 + 128,
                        (xx + yy) / (h + w) * 255], axis=-1)
        rgb = np.clip(rgb + rng.normal(0, 10, rgb.shape), 0, 255).astype(np.uint8)
        if k % 2:
            Image.fromarray(rgb).save(os.path.join(folder, f"demo_{k:02d}.jpg"), quality=90)
        elif k % 4 == 0:
            alpha = rng.integers(0, 256, (h, w, 1), dtype=np.uint8)
            Image.fromarray(np.concatenate([rgb, alpha], axis=-1), "RGBA").save(
                os.path.join(folder, f"demo_{k:02d}.png"))
        else:
            Image.fromarray(rgb).save(os.path.join(folder, f"demo_{k:02d}.png"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", help="folder of PNG/JPEG images (default: a demo)")
    ap.add_argument("--out", help="where to write *_gray.png (default: a temporary folder)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="threads (parchunk version) and processes (classic version)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            folder = os.path.join(tmp, "demo")
            print(f"no folder given: generating demo images in {folder}")
            make_demo_folder(folder)
        paths = list_images(folder)
        if not paths:
            sys.exit(f"no PNG/JPEG files in {folder}")
        out_pc = args.out or os.path.join(tmp, "parchunk")
        out_classic = os.path.join(tmp, "classic")
        os.makedirs(out_pc, exist_ok=True)
        os.makedirs(out_classic, exist_ok=True)

        t0 = time.perf_counter()
        t_decode, t_convert, t_encode = with_parchunk(paths, out_pc, args.workers)
        t_pc = time.perf_counter() - t0
        t_convert_pc, t_convert_pillow = compare_conversion(paths)
        t0 = time.perf_counter()
        classic(paths, out_classic, args.workers)
        t_classic = time.perf_counter() - t0

        for p in paths:
            a = np.asarray(Image.open(output_path(out_pc, p)))
            b = np.asarray(Image.open(output_path(out_classic, p)))
            if not np.array_equal(a, b):
                sys.exit(f"outputs differ for {p}")
        print(f"{len(paths)} images, {args.workers} workers, outputs identical")
        print(f"  parchunk (threads + one batch call): {t_pc:.3f} s "
              f"(decode {t_decode:.3f}, convert {t_convert:.3f}, encode {t_encode:.3f})")
        print(f"  multiprocessing.Pool + Pillow:       {t_classic:.3f} s "
              f"({t_classic / t_pc:.2f}x the parchunk time)")
        print(f"  the conversion alone (decoded images, best of 3): parchunk batch "
              f"{t_convert_pc:.4f} s, Pillow convert('L') loop {t_convert_pillow:.4f} s "
              f"({t_convert_pillow / t_convert_pc:.1f}x)")
        if args.out:
            print(f"grayscale images written to {args.out}")


if __name__ == "__main__":
    main()
