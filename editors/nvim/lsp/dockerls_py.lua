-- dockerls (the Python Dockerfile language server) for Neovim >= 0.11.
--
--   vim.lsp.enable('dockerls_py')
--
-- The name is `dockerls_py`, not `dockerls`: nvim-lspconfig already ships an
-- `lsp/dockerls.lua` for a different server (rcjsuen's Node
-- `docker-langserver`), and Neovim merges every `lsp/<name>.lua` of the same
-- name found on 'runtimepath', so a second `dockerls` would mix the two
-- servers' settings (whichever file comes last wins each key). Enable either,
-- not both: they would both attach to every Dockerfile.
--
-- Override anything with vim.lsp.config, e.g. a server outside PATH:
--
--   vim.lsp.config('dockerls_py', { cmd = { '/path/to/venv/bin/dockerls', 'serve' } })
--
-- and the rules through `settings.dockerls` (sent on workspace/configuration;
-- only what you set, so a project's [tool.dockerls] or .dockerls.toml applies to
-- the rest):
--
--   vim.lsp.config('dockerls_py', {
--     settings = { dockerls = { ignore = { 'DKL401' }, severity = { DKL201 = 'error' }, target = 'runtime' } },
--   })
--
-- An empty Lua table is sent as a JSON array; write vim.empty_dict() for an
-- empty `severity`.

---@type vim.lsp.Config
return {
  cmd = { 'dockerls', 'serve' },
  filetypes = { 'dockerfile' },
  -- In priority order: the repository, else the build context (.dockerignore),
  -- else the Dockerfile's own directory. A file with none of them starts the
  -- server without a workspace folder (single-file mode).
  root_markers = { '.git', '.dockerignore', 'Dockerfile', 'Containerfile' },
}
