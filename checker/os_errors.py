"""What the operating system said, in Chinese: the reason shown wherever a file or folder could not
be read or written. Python's `strerror` is the C library's English ("Permission denied")
whatever the user's locale, so the common causes are named here by errno, with the system's own
words after them for a search or a bug report."""
from __future__ import annotations

import errno

_PHRASES = {
    "EACCES": "没有权限",
    "EPERM": "操作不被允许",
    "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EISDIR": "这是文件夹，不是文件",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "文件系统是只读的",
    "EEXIST": "已有同名的文件或文件夹",
    "ENOTEMPTY": "文件夹不是空的",
    "ENAMETOOLONG": "文件名太长",
    "ELOOP": "符号链接循环",
    "EMFILE": "打开的文件太多",
    "ENFILE": "系统打开的文件太多",
    "EIO": "读写出错（磁盘或网络存储故障）",
    "EBUSY": "文件或设备正被占用",
    "ETXTBSY": "文件正被占用",
    "EFBIG": "文件太大",
    "EXDEV": "不能跨磁盘移动文件",
    "ENXIO": "设备不存在",
    "ENODEV": "设备不存在",
    "ENOMEM": "内存不足",
    "ESTALE": "网络文件已失效，请重新打开所在文件夹",
    "ETIMEDOUT": "操作超时",
    "EINVAL": "参数无效（如文件名中有不允许的字符）",
    "EAGAIN": "资源暂时不可用，请稍后再试",
    "EPIPE": "管道已关闭",
}
PHRASES = {getattr(errno, name): phrase for name, phrase in _PHRASES.items() if hasattr(errno, name)}
"""errno -> the Chinese phrase (by name first: some numbers exist on one system only)."""


def explain(problem: OSError) -> str:
    """`没有权限 / Permission denied`: the Chinese phrase for the error's errno, then the system's
    words; only the system's for an errno not in the table."""
    system = problem.strerror or str(problem)
    phrase = PHRASES.get(problem.errno)  # type: ignore[arg-type]
    return f"{phrase} / {system}" if phrase else system
