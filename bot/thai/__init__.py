"""The fixed command line ``python -m bot.thai``; the reader itself is the top-level `thai`
package."""
