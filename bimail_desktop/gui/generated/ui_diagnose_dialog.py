# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'diagnose_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QSizePolicy, QVBoxLayout, QWidget)

class Ui_DiagnoseDialog(object):
    def setupUi(self, diagnoseDialog):
        if not diagnoseDialog.objectName():
            diagnoseDialog.setObjectName(u"diagnoseDialog")
        diagnoseDialog.resize(860, 620)
        diagnoseDialog.setMinimumSize(QSize(640, 460))
        self.diagnoseLayout = QVBoxLayout(diagnoseDialog)
        self.diagnoseLayout.setObjectName(u"diagnoseLayout")
        self.diagnoseIntroLabel = QLabel(diagnoseDialog)
        self.diagnoseIntroLabel.setObjectName(u"diagnoseIntroLabel")
        self.diagnoseIntroLabel.setWordWrap(True)

        self.diagnoseLayout.addWidget(self.diagnoseIntroLabel)

        self.pageArea = QWidget(diagnoseDialog)
        self.pageArea.setObjectName(u"pageArea")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(1)
        sizePolicy.setHeightForWidth(self.pageArea.sizePolicy().hasHeightForWidth())
        self.pageArea.setSizePolicy(sizePolicy)
        self.pageLayout = QVBoxLayout(self.pageArea)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pageLayout.setContentsMargins(0, 0, 0, 0)

        self.diagnoseLayout.addWidget(self.pageArea)

        self.buttonBox = QDialogButtonBox(diagnoseDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.diagnoseLayout.addWidget(self.buttonBox)


        self.retranslateUi(diagnoseDialog)
        self.buttonBox.rejected.connect(diagnoseDialog.reject)

        QMetaObject.connectSlotsByName(diagnoseDialog)
    # setupUi

    def retranslateUi(self, diagnoseDialog):
        diagnoseDialog.setWindowTitle(QCoreApplication.translate("DiagnoseDialog", u"Diagnose mail server", None))
        self.diagnoseIntroLabel.setText(QCoreApplication.translate("DiagnoseDialog", u"The values of the sender form are checked step by step; nothing is saved and no mail is sent.", None))
    # retranslateUi
