#!/usr/bin/env python3
"""A small LSP client: starts a C# language server over stdio in a project folder, turns its
analyzers on (csharp-ls: csharp.analyzersEnabled), opens one file and waits until the server
publishes a diagnostic with the expected code for it. Exit 0 when it does, 1 otherwise.

Usage: lsp-check.py SERVER PROJECT_DIR FILE CODE [TIMEOUT_SECONDS]
"""
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time

SETTINGS = {"analyzersEnabled": True}


def main():
    server, project_dir, file_name, code = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 300
    root = pathlib.Path(project_dir).resolve()
    document = root / file_name
    process = subprocess.Popen([server, "--loglevel", "warning"], cwd=root, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    messages = queue.Queue()
    threading.Thread(target=read_messages, args=(process.stdout, messages), daemon=True).start()
    stderr_lines = []
    threading.Thread(target=lambda: stderr_lines.extend(process.stderr), daemon=True).start()

    def send(message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        process.stdin.flush()

    send({"id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
        "initializationOptions": {"csharp": SETTINGS},
        "capabilities": {"workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
                         "textDocument": {"publishDiagnostics": {}, "synchronization": {}}},
    }})
    seen = []
    deadline = time.monotonic() + timeout
    opened = False
    try:
        while time.monotonic() < deadline:
            try:
                message = messages.get(timeout=1)
            except queue.Empty:
                if process.poll() is not None:
                    break
                continue
            method = message.get("method")
            if message.get("id") == 1 and "result" in message:
                send({"method": "initialized", "params": {}})
                send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"csharp": SETTINGS}}})
                send({"method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": document.as_uri(), "languageId": "csharp", "version": 1, "text": document.read_text()}}})
                opened = True
            elif method == "workspace/configuration":
                items = message["params"]["items"]
                send({"id": message["id"], "result": [SETTINGS if item.get("section", "").startswith("csharp") else None for item in items]})
            elif method is not None and "id" in message:
                send({"id": message["id"], "result": None})  # registerCapability, workDoneProgress/create...
            elif method == "textDocument/publishDiagnostics" and opened:
                params = message["params"]
                codes = [str(d.get("code")) for d in params.get("diagnostics", [])]
                seen.append((params["uri"], codes))
                if params["uri"] == document.as_uri() and code in codes:
                    print(f"lsp: {server} published {code} for {file_name}")
                    return 0
        print(f"lsp: no {code} for {file_name} within {timeout:.0f} s; published: {seen[-5:]}", file=sys.stderr)
        print("".join(line.decode(errors="replace") for line in stderr_lines[-20:]), file=sys.stderr)
        return 1
    finally:
        try:
            send({"id": 2, "method": "shutdown"})
            send({"method": "exit"})
        except OSError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def read_messages(stream, messages):
    """Base-protocol framing: headers, a blank line, then Content-Length bytes of JSON."""
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length is not None:
            messages.put(json.loads(stream.read(length)))


if __name__ == "__main__":
    sys.exit(main())
