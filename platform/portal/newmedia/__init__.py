"""The district's 政务新媒体 register, kept by the 区信息中心.

《政府网站与政务新媒体检查指标》 and the yearly 政府网站工作年度报表 ask what official accounts the
district runs (微博, 微信, 其他), who runs them and how much they publish. The register holds the
accounts and their monthly figures (entered or imported from a spreadsheet); the portal shows
them as the 政务新媒体矩阵, and `figures.yearly_accounts` gives the report its 移动新媒体 part.
"""
