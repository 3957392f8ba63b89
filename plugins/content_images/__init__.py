"""A post's or page's `Image`, in any form staff write it, becomes one address: `image_url` and `image_ref`."""

from .content_images import register

__all__ = ["register"]
