"""fzcheck serve: the checks as a local web page and HTTP API (checker/web).

Starlette and uvicorn are imported in `run` only: registering the command for `fzcheck -h` or a
configuration file must not load the web stack.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from checker.commands import EXIT_OK
from checker.commands.common import MB, add_config_options, positive_integer, stderr
from checker.errors import UsageError
from checker.ruleset import load_ruleset

HELP = "启动网页服务：在浏览器中上传报告检查，并提供 HTTP 接口"
EPILOG = """接口 (API):
  POST /api/audit  POST /api/precheck  POST /api/batch
  GET /api/rules  GET /healthz  GET /openapi.json
  GET /docs：接口文档，说明每个接口的参数和回答，附 curl 示例

退出码 (exit codes):
  0  服务已停止（Ctrl+C）(stopped)
  2  用法或规则集错误，或非本机地址未给出 --token (usage or rule-file error; another host without --token)
"""
TOKEN_ENV = "FZCHECK_TOKEN"
"""Where the token may be given instead of --token, which every user of the machine sees in `ps`."""
DEFAULT_PORT = 8765
DEFAULT_UPLOAD_MB = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="监听的地址（默认 127.0.0.1，只有本机能访问；0.0.0.0 等非本机地址须同时给出 --token）")
    parser.add_argument("--port", type=positive_integer, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    parser.add_argument("--rules", action="append", metavar="FILE",
                        help="页面和接口可选的其他规则集文件（可多次使用；内置全国规则集总是可选，且为默认）")
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV) or None, metavar="SECRET",
                        help=f"访问令牌：接口请求须带 Authorization: Bearer SECRET，页面上须填写（也可用环境变量 {TOKEN_ENV} 给出，"
                             "其他用户在进程列表中看不到）")
    parser.add_argument("--max-upload-mb", type=positive_integer, default=DEFAULT_UPLOAD_MB, metavar="MB",
                        help=f"一次上传的大小上限（默认 {DEFAULT_UPLOAD_MB} MB；超过时返回 413）")
    parser.add_argument("--jobs", "-j", type=positive_integer, metavar="N",
                        help="检查报告的进程数（默认 CPU 核数，最多 4）：一份大文件只占一个进程，不耽误其他人")
    add_config_options(parser)


def run(args: argparse.Namespace) -> int:
    import uvicorn  # only here: see the module's docstring

    from checker.web.app import Settings, create_app

    local = _loopback(args.host)
    if not local and not args.token:
        raise UsageError(f"--host {args.host} 让其他计算机也能访问，上传的报告可能被他人看到：请同时用 --token 设定访问令牌"
                         f"（或环境变量 {TOKEN_ENV}）")
    # A configuration file's top-level `rules = "x.yaml"` (audit's too) gives one path, not a list.
    paths = [args.rules] if isinstance(args.rules, str) else args.rules or []
    rulesets = {}
    for ruleset in (load_ruleset(None), *map(load_ruleset, paths)):
        if ruleset.id in rulesets:
            raise UsageError(f"{ruleset.path}：规则集 {ruleset.id} 与 {rulesets[ruleset.id].path} 同名，请改用不同的 id")
        rulesets[ruleset.id] = ruleset
    settings = Settings(rulesets, args.token, args.max_upload_mb * MB, args.jobs or min(4, os.cpu_count() or 1))
    host = f"[{args.host}]" if ":" in args.host else args.host
    if not local:
        stderr.print(f"fzcheck: 注意：正在监听 {args.host}，其他计算机可以访问本服务（凭访问令牌）；请只在可信的内部网络中这样做",
                     markup=False, highlight=False, soft_wrap=True)
    sys.stdout.write(f"fzcheck 网页服务：http://{host}:{args.port}/（按 Ctrl+C 停止）\n")
    sys.stdout.flush()
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", server_header=False)
    return EXIT_OK


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False
