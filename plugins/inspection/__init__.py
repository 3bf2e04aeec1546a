"""网站巡检 (daily inspection) plugin."""
