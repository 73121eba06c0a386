// Loaded with --import into a command the bench runs as a child: reports the child's peak memory on exit.
process.on('exit', () => {
  process.stderr.write(`\ntianping-bench-max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
