"""Plain data, enums, validation, the error catalogue and provider presets."""
