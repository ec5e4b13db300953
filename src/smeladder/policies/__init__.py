"""Support-policy library (惠企政策库): documents and their support items, written in the standards
engine's rule language, searched in Chinese, matched both ways (firm → items, item → firms) and
pushed to the firms that qualify (应享尽享 / 免申即享)."""
