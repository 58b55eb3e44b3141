"""Images: RGB/RGBA to 8-bit grayscale, bit-identical to Pillow's convert('L').

    from parchunk import image
    gray = image.to_grayscale(rgb)              # H x W x 3|4 uint8 -> H x W uint8
    grays = image.to_grayscale_batch([a, b, c]) # many images, one parallel call

The luma is ITU-R 601-2 in Pillow's fixed point,
L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16, so the result equals
``numpy.asarray(PIL.Image.fromarray(img).convert('L'))`` for every pixel
value; a fourth channel (alpha or padding) is ignored, as Pillow does.
Work is parallel over rows (and, for a batch, over the rows of all images at
once); results never depend on the thread count. NumPy is optional: any
C-contiguous uint8 buffer works with ``shape=(H, W, C)``.
"""
from __future__ import annotations

import operator
import sys
from typing import Any, List, Optional, Sequence, Tuple

from . import _core
from ._core import ProgressArg
from ._errors import ArgumentError, DTypeError, ShapeError

__all__ = ["to_grayscale", "to_grayscale_batch"]

_UINT8_FORMATS = ("B", "@B", "=B", "<B", ">B", "!B")


class _Image:
    """One validated image: (height, width, channels), the memory to read
    (kept alive with the object) and its backend pointer."""

    __slots__ = ("height", "width", "channels", "mem", "ptr")

    def __init__(self, height: int, width: int, channels: int, mem, ptr) -> None:
        self.height, self.width, self.channels = height, width, channels
        self.mem, self.ptr = mem, ptr


def _numpy():
    return sys.modules.get("numpy")


def _as_image(img: Any, shape: Optional[Sequence[int]], name: str) -> _Image:
    try:
        mv = memoryview(img)
    except TypeError:
        raise DTypeError(f"{name} must be an H x W x C uint8 array or a buffer with "
                         f"shape=(H, W, C), not {type(img).__name__}") from None
    except (ValueError, BufferError) as exc:
        raise DTypeError(f"{name}: cannot read its buffer: {exc}") from None
    if mv.format not in _UINT8_FORMATS or mv.itemsize != 1:
        dt = getattr(getattr(img, "dtype", None), "name", None) or repr(mv.format)
        raise DTypeError(f"{name} must hold uint8 values, got {dt}")
    if shape is None:
        if mv.ndim != 3:
            raise ShapeError(f"{name} must be 3-dimensional (H, W, C), got {mv.ndim} "
                             f"dimension(s) {tuple(mv.shape)}; pass shape=(H, W, C) for a "
                             "flat buffer")
        h, w, c = mv.shape
    else:
        try:
            h, w, c = shape
            if any(isinstance(v, bool) or not hasattr(type(v), "__index__") for v in (h, w, c)):
                raise TypeError  # 2.5 or "2" is not a dimension
            h, w, c = (operator.index(v) for v in (h, w, c))
        except (TypeError, ValueError):
            raise ArgumentError(f"shape must be a (height, width, channels) tuple of ints, "
                                f"got {shape!r}") from None
        if min(h, w, c) < 0:
            raise ArgumentError(f"shape must not be negative, got {(h, w, c)}")
        if mv.nbytes != h * w * c:
            raise ShapeError(f"{name} has {mv.nbytes} bytes but shape {(h, w, c)} needs "
                             f"{h * w * c}")
    if c not in (3, 4):
        raise ShapeError(f"{name} must have 3 (RGB) or 4 (RGBA/RGBX) channels, got {c} "
                         f"(shape {(h, w, c)})")
    if not mv.c_contiguous:  # e.g. a crop or a flipped view: one contiguous copy
        np = _numpy()
        if np is not None and isinstance(img, np.ndarray):
            img = np.ascontiguousarray(img)
            mv = memoryview(img)
        else:
            mv = memoryview(bytearray(mv.tobytes()))
    b = _core.backend()
    if mv.nbytes == 0:  # (cast refuses zero-sized shapes; nothing is read anyway)
        return _Image(h, w, c, mv, b.NULL)
    flat = mv.cast("B") if mv.ndim != 1 or mv.format != "B" else mv
    return _Image(h, w, c, flat, b.buffer(flat, "uint8_t"))


def _new_output(h: int, w: int):
    np = _numpy()
    if np is not None:
        return np.empty((h, w), dtype=np.uint8)
    return bytearray(h * w)


def _as_output(out: Any, h: int, w: int, name: str):
    """(object to return, memoryview kept alive, backend pointer)."""
    if out is None:
        out = _new_output(h, w)
    try:
        mv = memoryview(out)
    except TypeError:
        raise DTypeError(f"{name} must be a writable uint8 buffer of {h * w} bytes, not "
                         f"{type(out).__name__}") from None
    if mv.format not in _UINT8_FORMATS or mv.itemsize != 1:
        raise DTypeError(f"{name} must hold uint8 values, got format {mv.format!r}")
    if mv.readonly:
        raise TypeError(f"{name} is read-only; the result needs a writable buffer")
    if not mv.c_contiguous:
        raise ArgumentError(f"{name} must be C-contiguous")
    if mv.nbytes != h * w:
        raise ShapeError(f"{name} has {mv.nbytes} bytes, the result needs {h} x {w} = {h * w}")
    b = _core.backend()
    if mv.nbytes == 0:
        return out, mv, b.NULL
    flat = mv.cast("B") if mv.ndim != 1 or mv.format != "B" else mv
    return out, flat, b.buffer(flat, "uint8_t", writable=True)


def to_grayscale(img: Any, out: Any = None, *, shape: Optional[Tuple[int, int, int]] = None,
                 nthreads: Optional[int] = None, progress: ProgressArg = None):
    """8-bit luma of an RGB or RGBA image, identical to Pillow's convert('L').

    img: an H x W x 3 (RGB) or H x W x 4 (RGBA/RGBX; the 4th byte is ignored)
    uint8 array (NumPy, or any 3-D buffer), or any uint8 buffer of H*W*C bytes
    with shape=(H, W, C). Non-contiguous arrays are copied once.
    out: optional writable uint8 buffer of H*W bytes (e.g. an H x W NumPy
    array) to write into; it must not overlap img.
    Returns out, or a new H x W uint8 NumPy array (a bytearray of H*W bytes
    when NumPy is not installed).

    Raises DTypeError (TypeError) for non-uint8 data, ShapeError (ValueError)
    for a wrong number of dimensions or channels or a size that does not
    match, ArgumentError (ValueError) when out overlaps img, TypeError for a
    read-only out. nthreads/progress as everywhere in parchunk (items are rows).
    """
    im = _as_image(img, shape, "img")
    result, out_mem, out_ptr = _as_output(out, im.height, im.width, "out")
    _core.run("parchunk_to_grayscale", im.ptr, im.height, im.width, im.channels, out_ptr,
              n=im.height * im.width, nthreads=nthreads, progress=progress,
              name="to_grayscale()")
    del out_mem  # kept alive until the call returned
    return result


def _pointer_array(b, ptrs: List[Any]):
    """A C array of `uint8_t *` holding the given backend pointers."""
    arr = b.new("uint8_t *", max(len(ptrs), 1))
    if b.name == "cffi":
        for i, p in enumerate(ptrs):
            arr[i] = p
    else:
        import ctypes
        for i, p in enumerate(ptrs):
            if p is None:
                arr[i] = None
            elif hasattr(p, "_as_parameter_"):
                arr[i] = p._as_parameter_.value
            else:
                arr[i] = ctypes.addressof(p)
    return arr


def _size_array(b, values: List[int]):
    arr = b.new("size_t", max(len(values), 1))
    for i, v in enumerate(values):
        arr[i] = v
    return arr


def to_grayscale_batch(images: Sequence[Any], out: Optional[Sequence[Any]] = None, *,
                       nthreads: Optional[int] = None, progress: ProgressArg = None) -> list:
    """to_grayscale() on many images of any sizes in ONE parallel call.

    images: a sequence of H x W x 3|4 uint8 arrays (sizes and channel counts
    may differ). out: optional sequence of as many writable uint8 outputs
    (H*W bytes each). The rows of all images form one chunk plan, so small
    images are grouped and large ones split across threads.
    Returns the list of outputs (out's items, or new H x W uint8 arrays).
    Every image is checked before any output is written; errors name the
    image by index ("images[3]: ...").
    """
    if isinstance(images, (bytes, bytearray, memoryview)) or not hasattr(images, "__len__"):
        raise TypeError(f"images must be a sequence of images, not {type(images).__name__}")
    np = _numpy()
    if np is not None and isinstance(images, np.ndarray):
        images = list(images)  # a 4-D stack: one image per leading index
    count = len(images)
    if out is not None and len(out) != count:
        raise ShapeError(f"out has {len(out)} items but there are {count} images")
    ims = [_as_image(img, None, f"images[{k}]") for k, img in enumerate(images)]
    outs = [_as_output(None if out is None else out[k], im.height, im.width, f"out[{k}]")
            for k, im in enumerate(ims)]
    b = _core.backend()
    rows = sum(im.height for im in ims)
    pixels = sum(im.height * im.width for im in ims)
    _core.run("parchunk_to_grayscale_batch", count,
              _pointer_array(b, [im.ptr for im in ims]),
              _size_array(b, [im.height for im in ims]),
              _size_array(b, [im.width for im in ims]),
              _size_array(b, [im.channels for im in ims]),
              _pointer_array(b, [o[2] for o in outs]),
              n=max(rows, pixels), nthreads=nthreads, progress=progress,
              name="to_grayscale_batch()")
    return [o[0] for o in outs]
