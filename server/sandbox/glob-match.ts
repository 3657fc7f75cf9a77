// A small glob matcher with the usual shell/gitignore meaning, applied to
// relative paths: `*` and `?` stay within one path segment, `**` spans any
// number of segments, `[abc]` / `[!abc]` classes, `{a,b}` alternatives.
// Dotfiles match like any other name (hidden folders are pruned before).

export function globToRegExp(pattern: string): RegExp {
  let source = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        const atStart = i === 0 || pattern[i - 1] === "/";
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === "/";
        if (atStart && atEnd) {
          // "**/" matches zero or more whole segments; a trailing "**" matches everything below.
          source += i + 2 === pattern.length ? ".*" : "(?:.*/)?";
          i += i + 2 === pattern.length ? 2 : 3;
          continue;
        }
      }
      source += "[^/]*";
      while (pattern[i] === "*") i++;
      continue;
    }
    if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (char === "{") {
      braces++;
      source += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (char === "," && braces > 0) source += "|";
    else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
    i++;
  }
  return new RegExp(`^${source}$`);
}

/** Matches like `find -name` when the pattern has no "/", else against the whole relative path. */
export function matchesGlob(relativePath: string, pattern: string): boolean {
  const normalized = pattern.replace(/^\.\//, "");
  const subject = normalized.includes("/") ? relativePath : relativePath.slice(relativePath.lastIndexOf("/") + 1);
  return globToRegExp(normalized).test(subject);
}
