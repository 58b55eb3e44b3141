"""parchunk.image against Pillow, the oracle: all 2^24 RGB colours, RGBA/RGBX,
batches of mixed sizes, thread independence, bad inputs. Runs per backend."""
import array

import pytest

import parchunk
from parchunk import _core, image

Image = pytest.importorskip("PIL.Image")


def all_colours(np, channels=3):
    """A 4096 x 4096 image holding every RGB colour once (pixel i = 0xRRGGBB)."""
    i = np.arange(1 << 24, dtype=np.uint32)
    img = np.empty((4096, 4096, channels), np.uint8)
    img[..., 0] = (i >> 16).reshape(4096, 4096)
    img[..., 1] = ((i >> 8) & 255).reshape(4096, 4096)
    img[..., 2] = (i & 255).reshape(4096, 4096)
    if channels == 4:
        img[..., 3] = (i * 2654435761 >> 24).astype(np.uint8).reshape(4096, 4096)
    return img


def pillow_gray(np, img):
    mode = {3: "RGB", 4: "RGBA"}[img.shape[2]]
    return np.asarray(Image.fromarray(img, mode).convert("L"))


def test_all_2_24_rgb_colours_equal_pillow(np):
    img = all_colours(np)
    got = image.to_grayscale(img)
    assert got.shape == (4096, 4096) and got.dtype == np.uint8
    want = pillow_gray(np, img)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, f"{bad.size} colours differ, first 0x{bad[0]:06x}"


def test_all_colours_rgba_equal_pillow_alpha_ignored(np):
    img = all_colours(np, 4)
    got = image.to_grayscale(img)
    assert np.array_equal(got, pillow_gray(np, img))
    img[..., 3] = 255 - img[..., 3]
    assert np.array_equal(image.to_grayscale(img), got)


def test_rgbx_equals_pillow(np):
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (61, 97, 4), dtype=np.uint8)
    pil = Image.frombuffer("RGBX", (97, 61), img.tobytes(), "raw", "RGBX", 0, 1)
    assert np.array_equal(image.to_grayscale(img), np.asarray(pil.convert("L")))


def test_buffer_with_shape_without_numpy():
    """The stdlib path: bytes in, bytearray out, Pillow as the oracle."""
    w, h = 37, 23
    data = bytes((i * 7919 + (i >> 3)) & 255 for i in range(w * h * 3))
    want = Image.frombytes("RGB", (w, h), data).convert("L").tobytes()
    out = image.to_grayscale(data, shape=(h, w, 3))
    assert bytes(out) == want
    buf = bytearray(w * h)
    assert image.to_grayscale(array.array("B", data), buf, shape=(h, w, 3)) is buf
    assert bytes(buf) == want
    mv = memoryview(bytearray(data)).cast("B", (h, w, 3))  # a 3-D buffer: no shape needed
    assert bytes(image.to_grayscale(mv)) == want


def test_out_and_non_contiguous_input(np):
    rng = np.random.default_rng(4)
    big = rng.integers(0, 256, (50, 80, 3), dtype=np.uint8)
    view = big[5:45:2, ::3]  # strided: copied once
    out = np.full(view.shape[:2], 7, np.uint8)
    assert image.to_grayscale(view, out=out) is out
    assert np.array_equal(out, pillow_gray(np, np.ascontiguousarray(view)))


def test_empty_images(np):
    assert image.to_grayscale(np.zeros((0, 5, 3), np.uint8)).shape == (0, 5)
    assert image.to_grayscale(np.zeros((4, 0, 4), np.uint8)).shape == (4, 0)
    assert image.to_grayscale_batch([]) == []


def test_batch_of_mixed_sizes_equals_pillow(np):
    rng = np.random.default_rng(5)
    shapes = [(1000, 1000, 3), (17, 3, 4), (0, 9, 3), (1, 1, 3), (333, 257, 4), (2, 4096, 3)]
    imgs = [rng.integers(0, 256, s, dtype=np.uint8) for s in shapes]
    got = image.to_grayscale_batch(imgs)
    assert len(got) == len(imgs)
    for g, img in zip(got, imgs):
        assert g.shape == img.shape[:2]
        if img.size:
            assert np.array_equal(g, pillow_gray(np, img))
    outs = [np.empty(s[:2], np.uint8) for s in shapes]
    res = image.to_grayscale_batch(imgs, out=outs)
    assert all(r is o for r, o in zip(res, outs))
    assert all(np.array_equal(a, b) for a, b in zip(res, got))
    # a 4-D stack is a batch of equal images
    stack = rng.integers(0, 256, (3, 20, 30, 3), dtype=np.uint8)
    assert all(np.array_equal(g, pillow_gray(np, s))
               for g, s in zip(image.to_grayscale_batch(stack), stack))


@pytest.mark.parametrize("nthreads", [1, 2, 3, 8])
def test_identical_for_any_thread_count(np, nthreads):
    rng = np.random.default_rng(6)
    img = rng.integers(0, 256, (301, 203, 3), dtype=np.uint8)
    imgs = [img, img[:50, :70].copy(), rng.integers(0, 256, (9, 1000, 4), dtype=np.uint8)]
    want = pillow_gray(np, img)
    with _core._config(chunk_size=7, serial_cutoff=0):
        assert np.array_equal(image.to_grayscale(img, nthreads=nthreads), want)
        batch = image.to_grayscale_batch(imgs, nthreads=nthreads)
    assert np.array_equal(batch[0], want)
    assert np.array_equal(batch[2], pillow_gray(np, imgs[2]))


def test_bad_inputs(np):
    rgb = np.zeros((4, 5, 3), np.uint8)
    for bad in (np.zeros((4, 5, 2), np.uint8), np.zeros((4, 5, 5), np.uint8),
                np.zeros((4, 5), np.uint8), np.zeros((2, 4, 5, 3), np.uint8)):
        with pytest.raises(parchunk.ShapeError) as ei:
            image.to_grayscale(bad)
        assert isinstance(ei.value, ValueError) and "img" in str(ei.value)
    with pytest.raises(parchunk.DTypeError) as ei:
        image.to_grayscale(rgb.astype(np.float32))
    assert isinstance(ei.value, TypeError) and "float32" in str(ei.value)
    with pytest.raises(parchunk.DTypeError):
        image.to_grayscale("not an image")
    with pytest.raises(parchunk.ShapeError):
        image.to_grayscale(bytes(59), shape=(4, 5, 3))
    with pytest.raises(parchunk.ArgumentError):
        image.to_grayscale(bytes(60), shape=(4, 5))
    with pytest.raises(parchunk.ShapeError):
        image.to_grayscale(rgb, out=np.empty((4, 4), np.uint8))
    with pytest.raises(parchunk.DTypeError):
        image.to_grayscale(rgb, out=np.empty((4, 5), np.int16))
    with pytest.raises(TypeError):
        image.to_grayscale(rgb, out=bytes(20))  # read-only
    # in place (out overlaps img): refused by the library, out untouched
    buf = np.arange(60, dtype=np.uint8)
    with pytest.raises(parchunk.ArgumentError) as ei:
        image.to_grayscale(buf, out=buf[:20], shape=(4, 5, 3))
    assert "overlaps" in str(ei.value)
    assert np.array_equal(buf, np.arange(60, dtype=np.uint8))


def test_bad_batch_inputs(np):
    ok = np.zeros((4, 5, 3), np.uint8)
    with pytest.raises(parchunk.ShapeError) as ei:
        image.to_grayscale_batch([ok, ok, np.zeros((4, 5, 2), np.uint8)])
    assert "images[2]" in str(ei.value)
    with pytest.raises(parchunk.ShapeError):
        image.to_grayscale_batch([ok, ok], out=[np.empty((4, 5), np.uint8)])
    with pytest.raises(TypeError):
        image.to_grayscale_batch(ok.tobytes())
    outs = [np.full((4, 5), 9, np.uint8), np.full((4, 5), 9, np.uint8)]
    with pytest.raises(parchunk.ArgumentError) as ei:  # two images into one output
        image.to_grayscale_batch([ok, ok], out=[outs[0], outs[0]])
    assert "overlaps" in str(ei.value)
    assert (outs[0] == 9).all()
