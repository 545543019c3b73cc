-- Containerfiles are Dockerfiles. Neovim detects `Dockerfile`, `Containerfile`,
-- `*.Dockerfile`, `*.dockerfile` and, at low priority, `Dockerfile.*` and
-- `Containerfile.*`; this adds the spellings it misses (`*.Containerfile`,
-- `containerfile`) and makes `Dockerfile.*`/`Containerfile.*` win over
-- extension-based guesses (`Dockerfile.dev`, `Dockerfile.yaml`). The
-- per-Dockerfile ignore file `Dockerfile.dockerignore` is an ignore file, as
-- Neovim already treats `.dockerignore`.

local function unless_ignore_file(path)
  if path:lower():match('%.dockerignore$') then
    return 'gitignore'
  end
  return 'dockerfile'
end

vim.filetype.add({
  filename = {
    Containerfile = 'dockerfile',
    containerfile = 'dockerfile',
  },
  extension = {
    Containerfile = 'dockerfile',
    containerfile = 'dockerfile',
  },
  pattern = {
    ['[Dd]ockerfile%..+'] = { unless_ignore_file, { priority = 10 } },
    ['[Cc]ontainerfile%..+'] = { unless_ignore_file, { priority = 10 } },
  },
})
