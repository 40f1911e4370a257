// Kept as a constant (not a JSON import) so every bundler reads it; a test keeps it equal to
// the root package.json version.
export const appVersion = "0.1.0";
