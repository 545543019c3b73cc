;;; emacs_probe.el --- what e2e/editors/test_emacs.py asks a running Emacs  -*- lexical-binding: t -*-

;; Loaded with -l after the user's init file (the configuration copied from
;; docs/editors.md): it configures nothing, it only reports what Emacs shows and
;; stands in for the user's answers in the minibuffer.  Every function returns a
;; JSON string, read by the test through emacsclient.

(require 'json)
(require 'cl-lib)

;; A throwaway HOME: no native compilation of every package in the background.
(setq native-comp-deferred-compilation nil)

(defun dockerls-e2e--buffer (file)
  (or (get-file-buffer file) (error "No buffer visits %s" file)))

(defun dockerls-e2e--flymake ()
  (when (bound-and-true-p flymake-mode)
    (mapcar (lambda (diag)
              (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag))))
                `((code . ,(plist-get lsp :code))
                  (type . ,(symbol-name (flymake-diagnostic-type diag)))
                  (line . ,(line-number-at-pos (flymake-diagnostic-beg diag)))
                  (text . ,(flymake-diagnostic-text diag)))))
            (flymake-diagnostics))))

(defun dockerls-e2e--flycheck ()
  (when (bound-and-true-p flycheck-mode)
    (mapcar (lambda (err)
              `((code . ,(flycheck-error-id err))
                (type . ,(symbol-name (flycheck-error-level err)))
                (line . ,(flycheck-error-line err))
                (text . ,(flycheck-error-message err))))
            flycheck-current-errors)))

(defun dockerls-e2e-state (file)
  "The buffer of FILE as the user sees it: mode, client, server, diagnostics."
  (with-current-buffer (dockerls-e2e--buffer file)
    (json-encode
     `((mode . ,(symbol-name major-mode))
       (eglot . ,(and (fboundp 'eglot-current-server)
                      (let ((server (eglot-current-server)))
                        (and server (process-command (jsonrpc--process server))))))
       (lsp . ,(and (bound-and-true-p lsp-mode)
                    (mapcar (lambda (workspace)
                              (symbol-name (lsp--workspace-server-id workspace)))
                            (lsp-workspaces))))
       (flymake . ,(vconcat (dockerls-e2e--flymake)))
       (flycheck . ,(vconcat (dockerls-e2e--flycheck)))
       (text . ,(buffer-substring-no-properties (point-min) (point-max)))
       (modified . ,(buffer-modified-p))))))

(defun dockerls-e2e-goto (file line column)
  "Show FILE in the selected window with point at LINE (1-based), COLUMN (0-based)."
  (switch-to-buffer (dockerls-e2e--buffer file))
  (goto-char (point-min))
  (forward-line (1- line))
  (move-to-column column)
  (json-encode (list (point))))

(defun dockerls-e2e--text (buffer)
  (if (buffer-live-p buffer)
      (with-current-buffer buffer
        (buffer-substring-no-properties (point-min) (point-max)))
    ""))

(defun dockerls-e2e-echo ()
  "What the echo area, eldoc's documentation buffer and lsp-mode's help buffer show."
  (json-encode
   `((message . ,(or (current-message) ""))
     (doc . ,(dockerls-e2e--text (bound-and-true-p eldoc--doc-buffer)))
     (help . ,(dockerls-e2e--text (get-buffer "*lsp-help*"))))))

(defun dockerls-e2e-code-action (file line column title)
  "Ask for the code actions at FILE:LINE:COLUMN as `M-x eglot-code-actions' or
`M-x lsp-execute-code-action' does, and pick the one whose title contains
TITLE, as the user would in the minibuffer.  Returns the titles offered."
  (with-current-buffer (dockerls-e2e--buffer file)
    (dockerls-e2e-goto file line column)
    (let* ((offered '())
           (completing-read-function
            (lambda (_prompt collection &rest _)
              (let ((titles (all-completions "" collection)))
                (setq offered titles)
                (or (cl-find-if (lambda (candidate) (string-search title candidate)) titles)
                    (error "No code action titled %s among %S" title titles)))))
           ;; As if invoked from the keyboard, not from a mouse menu.
           (last-nonmenu-event ?\r))
      (call-interactively (if (bound-and-true-p lsp-mode)
                              #'lsp-execute-code-action
                            #'eglot-code-actions))
      (json-encode (vconcat offered)))))

;; lsp-mode asks once where the project root is: the user answers `i' (import
;; the suggested root).
(with-eval-after-load 'lsp-mode
  (advice-add 'lsp--find-root-interactively :around
              (lambda (find session)
                (cl-letf (((symbol-function 'read-key) (lambda (&rest _) ?i)))
                  (funcall find session)))))

;;; emacs_probe.el ends here
