-- One Neovim session against `dockerls serve`, driven by tests/editors/test_neovim.py.
--
-- Run as: nvim --headless --clean --cmd 'set rtp^=editors/nvim' -c 'luafile nvim_session.lua'
-- with DOCKERLS_NVIM_PARAMS naming a JSON file: { dockerfile, result, timeout_ms }.
-- Everything observed is written to params.result as JSON, then Neovim quits.
-- Every wait is vim.wait(timeout, condition): polling with a deadline.

local params = vim.json.decode(table.concat(vim.fn.readfile(os.getenv('DOCKERLS_NVIM_PARAMS')), '\n'))
local timeout = params.timeout_ms
local NAME = 'dockerls_py'

local result = { steps = {}, messages = {} }

-- What the user would see: window/showMessage (echoed by Neovim's handler) and vim.notify
-- (Neovim's own warnings, e.g. about a command the server does not support).
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, params, ctx, config)
  table.insert(result.messages, params.message)
  return show_message(err, params, ctx, config)
end
vim.notify = function(message)
  table.insert(result.messages, message)
end

local function step(name)
  table.insert(result.steps, name)
end

local function wait(condition)
  return vim.wait(timeout, condition, 20)
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function diagnostics(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, {
      code = d.code,
      lnum = d.lnum,
      col = d.col,
      severity = d.severity,
      source = d.source,
      message = d.message,
    })
  end
  return found
end

local function has_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == 'string' and part or part.value)
  end
  return table.concat(parts, '\n')
end

local function session()
  -- Filetype detection from editors/nvim/ftdetect, without opening files.
  result.filetypes = {}
  for _, name in ipairs(params.filetype_names) do
    result.filetypes[name] = vim.filetype.match({ filename = name }) or vim.NIL
  end

  -- The config this repository ships, as a user enables it.
  result.config_cmd = vim.lsp.config[NAME] and vim.lsp.config[NAME].cmd or vim.NIL
  result.other_config_cmd = vim.lsp.config.dockerls and vim.lsp.config.dockerls.cmd or vim.NIL
  vim.lsp.enable(NAME)

  vim.cmd.edit(vim.fn.fnameescape(params.dockerfile))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  step('opened')

  local client
  if not wait(function()
    client = vim.lsp.get_clients({ bufnr = buf, name = NAME })[1]
    return client ~= nil and client.initialized
  end) then
    result.error = 'the dockerls_py client did not attach and initialize in time'
    return
  end
  step('attached')
  result.clients = {}
  for _, c in ipairs(vim.lsp.get_clients({ bufnr = buf })) do
    table.insert(result.clients, c.name)
  end
  result.root_dir = client.root_dir or vim.NIL
  result.server_name = client.server_info and client.server_info.name or vim.NIL
  result.offset_encoding = client.offset_encoding
  result.capabilities = {
    hover = client:supports_method('textDocument/hover'),
    code_action = client:supports_method('textDocument/codeAction'),
  }

  if not wait(function()
    return has_code(buf, params.expect_code)
  end) then
    result.diagnostics = diagnostics(buf)
    result.error = 'no ' .. params.expect_code .. ' diagnostic in time'
    return
  end
  result.diagnostics = diagnostics(buf)
  step('diagnostics')

  if result.capabilities.hover then
    local position = { line = params.hover.line, character = params.hover.character }
    local response, err = client:request_sync('textDocument/hover', {
      textDocument = vim.lsp.util.make_text_document_params(buf),
      position = position,
    }, timeout, buf)
    if response == nil then
      result.hover_error = tostring(err)
    elseif response.err then
      result.hover_error = vim.inspect(response.err)
    elseif response.result == nil or response.result == vim.NIL then
      result.hover = vim.NIL
    else
      result.hover = hover_text(response.result.contents)
    end
    step('hover')
  end

  if result.capabilities.code_action then
    -- What the server offers on the source COPY line, then the user's way of
    -- applying one: vim.lsp.buf.code_action with a filter and apply = true.
    local range = {
      start = { line = params.action_line, character = 0 },
      ['end'] = { line = params.action_line, character = #lines(buf)[params.action_line + 1] },
    }
    local response = client:request_sync('textDocument/codeAction', {
      textDocument = vim.lsp.util.make_text_document_params(buf),
      range = range,
      context = { diagnostics = vim.lsp.diagnostic.from(vim.diagnostic.get(buf)), triggerKind = 1 },
    }, timeout, buf)
    result.actions = {}
    for _, action in ipairs(response and response.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind or vim.NIL })
    end
    step('actions listed')

    local wanted
    for _, action in ipairs(result.actions) do
      if action.kind == 'refactor.rewrite' and action.title:find(params.action_title, 1, true) then
        wanted = action.title
      end
    end
    if wanted then
      local before = table.concat(lines(buf), '\n')
      vim.lsp.buf.code_action({
        apply = true,
        context = { only = { 'refactor.rewrite' }, diagnostics = {} },
        range = { start = { params.action_line + 1, 0 }, ['end'] = { params.action_line + 1, 0 } },
        filter = function(action)
          return action.title == wanted
        end,
      })
      if not wait(function()
        return table.concat(lines(buf), '\n') ~= before
      end) then
        result.error = 'the code action "' .. wanted .. '" did not change the buffer in time'
        return
      end
      result.applied = wanted
      result.buffer_after = lines(buf)
      step('applied')
      -- The server analyses the edited buffer: the finding the refactor fixes goes away.
      result.fixed_code_gone = wait(function()
        return not has_code(buf, params.expect_code)
      end)
      result.diagnostics_after = diagnostics(buf)
      if params.expect_message then
        result.message_shown = wait(function()
          for _, message in ipairs(result.messages) do
            if message:find(params.expect_message, 1, true) then
              return true
            end
          end
          return false
        end)
      end
    end
  end
end

local ok, err = xpcall(session, debug.traceback)
if not ok then
  result.error = err
end
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop()
end
result.stopped = vim.wait(timeout, function()
  return #vim.lsp.get_clients() == 0
end, 20)
vim.fn.writefile({ vim.json.encode(result) }, params.result)
vim.cmd('qall!')
